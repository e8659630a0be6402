"""System checks for settings that must be right before the site serves anyone."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def secret_key_is_usable(app_configs, **kwargs):
    # Empty, short or the example value, in production (see config/settings.py).
    if not settings.SECRET_KEY_PROBLEM:
        return []
    return [Error(settings.SECRET_KEY_PROBLEM, id="archive.E001")]
