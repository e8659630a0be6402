"""manage.py add_paper SLUG NAME [--place …]: create a title, or update the
fields given of an existing one (so a setup script can run it every time)."""

import argparse
import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.forms.models import model_to_dict

from archive.models import Frequency, Newspaper

# Command-line option -> model field, for the optional fields.
OPTIONS = {
    "short_name": "--short-name",
    "place": "--place",
    "language": "--language",
    "publisher": "--publisher",
    "first_issue": "--first-issue",
    "last_issue": "--last-issue",
    "frequency": "--frequency",
    "description": "--description",
    "identifier": "--identifier",
}


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Create a newspaper title (or update the fields given of an existing one) for ingest --paper SLUG."

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", help="the title's name in URLs, e.g. hu-he-hao-te-ri-bao")
        parser.add_argument("name", metavar="NAME", help="the name as printed, e.g. 呼和浩特日报")
        parser.add_argument("--short-name", help="a short name for lists, e.g. 呼报")
        parser.add_argument("--place", help="where it is published")
        parser.add_argument("--language", help="BCP 47 tag (default zh-Hans)")
        parser.add_argument("--publisher", help="主办单位")
        parser.add_argument("--first-issue", metavar="YYYY-MM-DD", type=iso_date, help="创刊日期")
        parser.add_argument("--last-issue", metavar="YYYY-MM-DD", type=iso_date, help="停刊日期")
        parser.add_argument("--frequency", choices=Frequency.values)
        parser.add_argument("--description")
        parser.add_argument(
            "--identifier", "--issn", "--cn", metavar="ID", help="CN serial number (CN15-0003) or ISSN (1002-8110)"
        )

    def handle(self, *args, slug, name, **options):
        values = {field: options[field] for field in OPTIONS if options.get(field) is not None}
        paper = Newspaper.objects.filter(slug=slug).first()
        created = paper is None
        if created:
            paper = Newspaper(slug=slug)
        before = model_to_dict(paper)
        paper.name = name
        for field, value in values.items():
            setattr(paper, field, value)
        try:
            paper.full_clean()
        except ValidationError as exc:
            raise CommandError(_one_line(exc)) from exc
        if not created and model_to_dict(paper) == before:
            self.stdout.write(f"title {paper.slug} unchanged: {paper.name}")
            return
        paper.save()
        verb = "created" if created else "updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} title {paper.slug}: {paper.name}"))


def _one_line(exc: ValidationError) -> str:
    parts = []
    for field, messages in exc.message_dict.items():
        flag = OPTIONS.get(field, field if field != "__all__" else "")
        flag = {"slug": "SLUG", "name": "NAME"}.get(flag, flag)
        parts.append(f"{flag}: {' '.join(messages)}" if flag else " ".join(messages))
    return "; ".join(parts)
