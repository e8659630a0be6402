"""The address of the reader behind the site's own proxies.

Behind a reverse proxy every request comes from the proxy's address, so a
login limit keyed on ``REMOTE_ADDR`` would lock out every editor at once after
one stranger's failed attempts. Each trusted proxy appends the address it saw
to ``X-Forwarded-For``; counting from the right past our own proxies gives the
first address no one of ours made up. Entries further left come from the
client and are never believed.
"""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        # A request that skipped a proxy; its own address is all we know.
        return remote
    return forwarded[-proxies]
