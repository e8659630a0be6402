"""WSGI entry point for gunicorn."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Fail at start-up (gunicorn --preload stops here), not at the first request
# that needs to sign a cookie.
if settings.SECRET_KEY_MISSING:
    raise ImproperlyConfigured(settings.MISSING_SECRET_KEY_MESSAGE)
