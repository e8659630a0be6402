import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from archive.ingest import IngestError, expand_paths, ingest_file


def parse_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date {value!r}: expected YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Ingest issue files (files, directories or globs) into the archive and the search index."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--date", help="publication date YYYY-MM-DD (only with a single file)")
        parser.add_argument("--replace", action="store_true", help="update an issue whose file content changed")
        parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")

    def handle(self, *args, paths, date, replace, no_progress, **options):
        issue_date = parse_date(date) if date else None
        try:
            files = expand_paths(paths)
        except IngestError as exc:
            raise CommandError(str(exc)) from exc
        if not files:
            raise CommandError("no issue files found")
        if issue_date and len(files) > 1:
            raise CommandError("--date applies to one file; give a single file with it")

        progress = None
        if len(files) > 1 and not no_progress and sys.stderr.isatty():
            from tqdm import tqdm

            progress = tqdm(total=len(files), unit="file", file=sys.stderr)

        counts = {"ingested": 0, "unchanged": 0, "failed": 0, "articles": 0, "flagged": 0}
        for path in files:
            try:
                result = ingest_file(path, issue_date=issue_date, replace=replace)
            except IngestError as exc:
                counts["failed"] += 1
                self._write(progress, self.style.ERROR(f"error: {exc}"), error=True)
            else:
                if result.status == "unchanged":
                    counts["unchanged"] += 1
                else:
                    counts["ingested"] += 1
                    counts["articles"] += result.articles_created
                    counts["flagged"] += result.articles_flagged
                self._write(progress, result.message)
            if progress:
                progress.update(1)
        if progress:
            progress.close()

        summary = (
            f"{counts['ingested']} ingested, {counts['unchanged']} unchanged, {counts['failed']} failed; "
            f"{counts['articles']} articles created, {counts['flagged']} flagged for review"
        )
        if counts["failed"]:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _write(self, progress, message, error=False):
        if progress:
            progress.write(message, file=sys.stderr if error else sys.stdout)
        elif error:
            self.stderr.write(message)
        else:
            self.stdout.write(message)
