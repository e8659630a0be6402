"""Start-up steps of the container that need Django, run by docker/entrypoint.sh.

    python docker/prepare.py wait-for-database [--timeout SECONDS]
    python docker/prepare.py ensure-search-index

Exit status 0 means ready; NEEDS_REBUILD (3) from ensure-search-index means
the index is missing while the database holds articles; anything else is an
error, printed as one line.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        sys.exit(f"configuration error: {exc}")


def wait_for_database(timeout: float) -> int:
    """Poll until the database accepts a connection (the db container may still be starting)."""
    from django.db import connection
    from django.db.utils import OperationalError

    deadline = time.monotonic() + timeout
    delay = 0.5
    while True:
        try:
            connection.ensure_connection()
        except OperationalError as exc:
            if time.monotonic() >= deadline:
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                print(f"database not reachable after {timeout:.0f} s: {reason}", file=sys.stderr)
                return 1
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
        else:
            connection.close()
            return 0


NEEDS_REBUILD = 3


def ensure_search_index() -> int:
    """Leave a usable index: keep one that opens, create an empty one for an
    empty archive; an archive whose index was lost needs a full rebuild."""
    from archive import search
    from archive.health import HealthCheckFailed, check_search
    from archive.models import Article

    try:
        check_search()
        return 0
    except HealthCheckFailed as failure:
        missing = str(failure)
    articles = Article.objects.count()
    if articles:
        print(f"search index: {missing}; {articles} articles to index", file=sys.stderr)
        return NEEDS_REBUILD
    # An empty index with the archive's schema (a directory, or an index on
    # the search server).
    search.ensure_index()
    try:
        check_search()
    except HealthCheckFailed as failure:
        print(f"search index: {failure}", file=sys.stderr)
        return 1
    print("search index: created an empty one", file=sys.stderr)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    wait = commands.add_parser("wait-for-database")
    wait.add_argument("--timeout", type=float, default=60.0)
    commands.add_parser("ensure-search-index")
    args = parser.parse_args(argv)
    setup_django()
    if args.command == "wait-for-database":
        return wait_for_database(args.timeout)
    return ensure_search_index()


if __name__ == "__main__":
    sys.exit(main())
