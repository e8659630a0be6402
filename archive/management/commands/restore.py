from archive.backup import restore
from archive.management.backup_command import BackupDirectoryCommand


class Command(BackupDirectoryCommand):
    help = (
        "Replace the archive's database with the backup in DIR (made by manage.py backup). "
        "Stop the site's writers first; rebuild the search index afterwards (manage.py rebuild_index)."
    )

    def operate(self, directory):
        return restore(directory)

    def done(self, result, directory):
        return f"restored {result.summary} from {directory}; now run manage.py rebuild_index"
