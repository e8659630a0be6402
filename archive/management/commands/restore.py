from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the archive's database with the backup in DIR (made by manage.py backup). "
        "Stop the site's writers first; rebuild the search index afterwards (manage.py rebuild_index)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory, **options):
        try:
            result = restore(Path(directory))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {result.rows} rows of {result.tables} tables ({result.engine}) from {directory}; "
                "now run manage.py rebuild_index"
            )
        )
