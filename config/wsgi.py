"""WSGI entry point for gunicorn."""

import os
import sys

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Refuse at start-up (gunicorn --preload stops here), not at the first request
# that needs to sign a cookie: one line saying what to set, no traceback.
if settings.SECRET_KEY_PROBLEM:
    print(f"refusing to start: {settings.SECRET_KEY_PROBLEM}", file=sys.stderr)
    # EX_CONFIG: the configuration is wrong; a supervisor should not retry.
    raise SystemExit(78)

application = get_wsgi_application()
