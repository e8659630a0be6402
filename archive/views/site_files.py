"""The files browsers and crawlers ask for at the site's root: ``/robots.txt``
(which names the sitemap) and ``/favicon.ico``."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from archive.addresses import absolute_url

ONE_DAY = 24 * 60 * 60


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        # Editors' pages, and search results (endless combinations of one
        # archive; every article is reachable from the sitemap).
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {reverse('archive:search')}",
        "",
        f"Sitemap: {absolute_url(request, reverse('archive:sitemap'))}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=ONE_DAY)
    return response


@require_GET
def favicon(request):
    path = finders.find("favicon.ico")
    if path is None:
        raise Http404("favicon.ico")
    # FileResponse closes the file once it is sent.
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115
    patch_cache_control(response, public=True, max_age=ONE_DAY)
    return response
