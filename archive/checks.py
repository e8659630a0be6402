"""System checks for settings that must be right before the site serves anyone."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def secret_key_is_set(app_configs, **kwargs):
    # Reading an empty settings.SECRET_KEY raises, hence the flag.
    if not settings.SECRET_KEY_MISSING:
        return []
    return [Error(settings.MISSING_SECRET_KEY_MESSAGE, id="archive.E001")]
