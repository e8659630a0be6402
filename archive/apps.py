from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "报纸档案"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Load the search tokenizer's dictionary once per process (before
        # gunicorn forks, with --preload) instead of on the first query.
        # Reporter names come from the database on first use, not here.
        from archive import (
            checks,  # noqa: F401  (registers the system checks)
            search,
        )

        search.prepare()

        # The login limit's section of the admin index, named in Chinese like
        # the rest (django-axes names it only by its label).
        from django.apps import apps

        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = "登录安全"
