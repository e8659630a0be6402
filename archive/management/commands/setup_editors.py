from django.core.management.base import BaseCommand, CommandError

from archive.editing import EditingError, ensure_editor_group


class Command(BaseCommand):
    help = (
        'Create or update the "editor" group: may correct articles, bylines, reporters, topics, '
        "sections and issues and see their history, but not manage users."
    )

    def handle(self, *args, **options):
        try:
            group, count = ensure_editor_group()
        except EditingError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f'group "{group.name}" has {count} permissions'))
        self.stdout.write("add a user to it in the admin (用户 → 组) or with: manage.py shell")
