"""The durable index queue, writing side: "re-index these articles" rows.

Every change that alters what search should return (ingest, replace,
re-parse, an editor's save, a merge or rename of reporters, a topic or
section change, a delete, a new issue date) calls :func:`enqueue` inside the
transaction that makes the change. The rows commit or roll back with it, so
a process killed after the commit leaves them behind rather than an index
that silently lags the database.

The search layer applies and deletes them (``archive.search.drain_queue``);
this module knows nothing of the index and is imported by the ingest and
editing code, which must not import search.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from archive.models import PendingIndex

# Rows per INSERT: well under SQLite's limit on bound variables.
INSERT_BATCH = 500

_local = threading.local()


def enqueue(article_ids: Iterable[int], *, using: str | None = None) -> int:
    """Queue the given articles for (re-)indexing in the current transaction.

    Ids of articles deleted in the same transaction are queued too: the
    drainer removes from the index what the database no longer holds.
    Returns how many rows were written.
    """
    ids = sorted({int(pk) for pk in article_ids})
    if not ids:
        return 0
    now = timezone.now()
    # Outside a transaction the rows still commit on their own; inside one
    # (the normal case) they share its fate.
    with transaction.atomic(using=using):
        PendingIndex.objects.using(using).bulk_create(
            [PendingIndex(article_id=pk, queued_at=now) for pk in ids], batch_size=INSERT_BATCH
        )
    collected = getattr(_local, "collected", None)
    if collected is not None:
        collected.update(ids)
    return len(ids)


@contextmanager
def collecting():
    """Gather the ids this thread queues inside the block, so that whoever
    made the change (a web request) can drain exactly those right after.

    Nested blocks each see their own ids and pass them to the outer one."""
    outer = getattr(_local, "collected", None)
    ids: set[int] = set()
    _local.collected = ids
    try:
        yield ids
    finally:
        _local.collected = outer
        if outer is not None:
            outer.update(ids)
