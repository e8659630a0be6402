"""``/healthz``: is this web node able to serve the archive?

A load balancer or ``docker compose`` polls it. It answers 200 when the
database answers a query and the search index can be opened (a search
server: it answers and holds the archive's index), and 503 naming the part
that failed otherwise. It also reports the index queue (changes committed to
the database and not yet in the index): its length and the age of its oldest
row, for monitoring; a long or old queue means the index drainer is not
running (or the search server was away), which does not stop this node from
serving. With a search server it reports the server's state too: cluster
health, the index behind the alias, articles indexed. It is never cached and
is exempt from the
HTTPS redirect (``SECURE_REDIRECT_EXEMPT``) so a plain-http probe from inside
the host reaches it.
"""

from __future__ import annotations

import logging
import threading

from django.db import connections as database_connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from archive import search

logger = logging.getLogger(__name__)

OK = "ok"


class HealthCheckFailed(Exception):
    """One part is not usable; the message is short and safe to show."""


def check_database(alias: str = "default") -> str:
    try:
        with database_connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
    except Exception as exc:
        logger.exception("health check: database %r failed", alias)
        raise HealthCheckFailed(f"database unreachable ({type(exc).__name__})") from exc
    if not row or row[0] != 1:
        raise HealthCheckFailed("database answered SELECT 1 with something else")
    return OK


def check_search() -> str:
    """Open the index read-only; never creates one (that is ingest's job).
    A search server's state (cluster health, the index behind the alias,
    articles indexed) is kept for the report."""
    try:
        state = search.engine_state()
    except search.SearchUnavailable as exc:
        raise HealthCheckFailed(str(exc)) from exc
    except Exception as exc:
        logger.exception("health check: search index failed")
        raise HealthCheckFailed(f"search index unusable ({type(exc).__name__})") from exc
    if state.get("engine") != "whoosh":
        _server_state.state = state
    return OK


def index_queue() -> dict:
    return search.queue_status().as_dict()


_server_state = threading.local()
CHECKS = {"database": check_database, "search": check_search}


@never_cache
@require_safe
def healthz(request):
    report, healthy = {}, True
    _server_state.state = None
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except HealthCheckFailed as failure:
            report[name] = f"error: {failure}"
            healthy = False
    if _server_state.state is not None:
        report["search_server"] = _server_state.state
    if healthy:
        report["index_queue"] = index_queue()
    return JsonResponse(report, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
