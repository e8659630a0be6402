"""``/healthz``: is this web node able to serve the archive?

A load balancer or ``docker compose`` polls it. It answers 200 when the
database answers a query and the search index can be opened, and 503 naming
the part that failed otherwise. It also reports the index queue (changes
committed to the database and not yet in the index): its length and the age
of its oldest row, for monitoring; a long or old queue means the index
drainer is not running, which does not stop this node from serving. It is never cached and is exempt from the
HTTPS redirect (``SECURE_REDIRECT_EXEMPT``) so a plain-http probe from inside
the host reaches it.
"""

from __future__ import annotations

import logging

from django.db import connections as database_connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from haystack import connections as search_connections
from haystack.backends.whoosh_backend import WhooshSearchBackend

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


def check_search(alias: str = "default") -> str:
    """Open the index read-only; never creates one (that is ingest's job)."""
    try:
        backend = search_connections[alias].get_backend()
        if isinstance(backend, WhooshSearchBackend) and backend.use_file_storage:
            from whoosh import index

            if not index.exists_in(backend.path):
                raise HealthCheckFailed(f"no search index in {backend.path}; run manage.py rebuild_index")
            with index.open_dir(backend.path).searcher() as searcher:
                searcher.doc_count()
        else:
            # Any other haystack backend (e.g. a search server): one query.
            from haystack.query import SearchQuerySet

            SearchQuerySet(using=alias).count()
    except HealthCheckFailed:
        raise
    except Exception as exc:
        logger.exception("health check: search index %r failed", alias)
        raise HealthCheckFailed(f"search index unusable ({type(exc).__name__})") from exc
    return OK


def index_queue() -> dict:
    return search.queue_status().as_dict()


CHECKS = {"database": check_database, "search": check_search}


@never_cache
@require_safe
def healthz(request):
    report, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except HealthCheckFailed as failure:
            report[name] = f"error: {failure}"
            healthy = False
    if healthy:
        report["index_queue"] = index_queue()
    return JsonResponse(report, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
