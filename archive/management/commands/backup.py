from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the archive's database into DIR (new or empty), consistently while the site runs."

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory, **options):
        try:
            result = backup(Path(directory))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"backed up {result.rows} rows of {result.tables} tables ({result.engine}) to {directory}"
            )
        )
