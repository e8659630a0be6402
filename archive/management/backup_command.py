"""What ``manage.py backup`` and ``manage.py restore`` share: one DIR
argument, an operation of ``archive.backup`` on it, a one-line error
instead of a traceback when it cannot be done, and one line saying what it
did."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.backup import BackupError, BackupResult


class BackupDirectoryCommand(BaseCommand):
    def operate(self, directory: Path) -> BackupResult:
        raise NotImplementedError

    def done(self, result: BackupResult, directory: str) -> str:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory, **options):
        try:
            result = self.operate(Path(directory))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(self.done(result, directory)))
