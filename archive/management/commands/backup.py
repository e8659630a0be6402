from archive.backup import backup
from archive.management.backup_command import BackupDirectoryCommand


class Command(BackupDirectoryCommand):
    help = "Back up the archive's database into DIR (new or empty), consistently while the site runs."

    def operate(self, directory):
        return backup(directory)

    def done(self, result, directory):
        return f"backed up {result.summary} to {directory}"
