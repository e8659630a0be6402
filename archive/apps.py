from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "报纸档案"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from archive import checks  # noqa: F401  (registers the system checks)

        # Load the search tokenizer's dictionary once per process (before
        # gunicorn forks, with --preload) instead of on the first query.
        # Reporter names come from the database on first use, not here.
        from archive.search import startup

        startup.prepare()
