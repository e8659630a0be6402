import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.ingest import IngestError, parse_file
from archive.management.arguments import iso_date


class Command(BaseCommand):
    help = "Parse one issue file and print what ingest would store, without touching the database."
    # Parsing needs neither the database nor secrets; it runs on a bare checkout.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--date", dest="issue_date", metavar="YYYY-MM-DD", type=iso_date, help="publication date YYYY-MM-DD"
        )
        parser.add_argument("--json", action="store_true", help="print the parse contract as JSON")

    def handle(self, *args, file, issue_date, json: bool, **options):
        try:
            parsed = parse_file(Path(file), issue_date=issue_date)
        except IngestError as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_dumps(parsed.to_contract()))
            return
        inferred = " (inferred)" if parsed.issue_date_inferred else ""
        self.stdout.write(f"{parsed.source}: issue {parsed.issue_date or 'unknown'}{inferred}")
        for number, article in enumerate(parsed.articles, start=1):
            names = "、".join(f"{b.name}({b.role})" for b in article.bylines)
            self.stdout.write(f"{number:3}. [{article.kind}] {article.headline or '(无标题)'}  {names}")
        if parsed.unassigned:
            self.stdout.write(f"unassigned: {len(parsed.unassigned)} lines")


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=2)
