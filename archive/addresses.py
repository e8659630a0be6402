"""Absolute addresses of the archive's pages.

Citations, canonical links, ``og:url``, feed entry ids, the sitemap, robots.txt
and the API all print full URLs. They name ``SITE_URL`` when it is set (a
deployment behind a proxy that knows its public address) and otherwise the
address the request came in on, so that a site served on another host or port
never hands out links to a port where nothing answers.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect


def site_root(request) -> str:
    """``scheme://host[:port]`` of the public site, without a trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    return request.build_absolute_uri("/").rstrip("/")


def absolute_url(request, path: str) -> str:
    """The full URL of ``path`` (as returned by ``reverse()`` or ``get_absolute_url()``)."""
    if path.startswith(("http://", "https://")):
        return path
    return site_root(request) + path


def public_path(path: str) -> str:
    """``path`` made absolute with ``SITE_URL`` when it is set, else left for the
    caller to complete from the request (Django's feeds and sitemaps do)."""
    return settings.SITE_URL + path if settings.SITE_URL else path


def permanent_redirect(request, url):
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url, permanent=True)
