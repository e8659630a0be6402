"""Whole public pages cached per URL and per cache generation.

Ingest and editing bump the generation (:mod:`archive.caching`) after every
commit that changes what a reader sees; a page's key carries it, so a bump
makes every stored page unreachable. This is the web layer's decorator; it is
named apart from Django's ``cache_page``, which keys on time alone.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from archive import search
from archive.caching import cache_generation


def is_editor(request) -> bool:
    """A logged-in member of staff. Only a request that carries a session
    cookie is asked: for every other visitor the session is never loaded."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_active and user.is_staff)


def cache_public_page(view=None, *, search_index: bool = False):
    """Cache a view's successful GET responses per URL (scheme, host, path and query) and generation.

    Pages are the same for every visitor (no cookies, no per-user content), so
    one rendering serves all; responses that set cookies are never stored.

    With ``search_index`` the key also carries the search index's version:
    a page of search results changes when the index does, and an ingest
    updates the index and bumps the generation one after the other, so a
    page rendered in between must not outlive either. An engine that cannot
    tell its version gets no caching of such pages.
    """
    if view is None:
        return functools.partial(cache_public_page, search_index=search_index)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or is_editor(request):
            # Editors see edit links: their pages are neither served from
            # nor stored in the cache that readers share.
            return view(request, *args, **kwargs)
        parts = [cache_generation()]
        if search_index:
            version = search.index_version()
            if version is None:
                return view(request, *args, **kwargs)
            parts.append(version)
        # Scheme and host too: absolute links in a page (canonical, citation)
        # name the address the request came in on when SITE_URL is unset.
        url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"archive:page:{':'.join(parts)}:{url}"
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, (response.content, dict(response.headers)))
        return response

    return wrapper
