"""The durable index queue, applying side: bring the index in step with the
rows that ``archive.indexqueue.enqueue`` wrote beside each change.

A drain reads a batch of pending rows, re-indexes the articles that exist
and removes from the index those that no longer do, in one index commit,
and only then deletes exactly the rows it read. So:

* a drainer killed at any point leaves its rows behind, and the next drain
  applies them again (re-indexing is idempotent);
* a row queued again while a batch is applied has a new id and is kept for
  the next batch, which reads the article as it is by then;
* several drainers at once (the ingest command, an editor's request, the
  server's drainer) may index an article twice, never lose one.

Who drains: the ingest command after its commits, the web layer after an
editor's save (its own rows, when few), ``manage.py drain_index`` (with
``--follow`` the server's drainer, started by gunicorn) and
``check_index --fix``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import close_old_connections
from django.db.models import Min
from django.utils import timezone

from archive.caching import bump_cache_generation
from archive.models import PendingIndex
from archive.search import indexing

logger = logging.getLogger(__name__)

BATCH_SIZE = indexing.BATCH_SIZE


@dataclass
class DrainResult:
    rows: int = 0  # queue rows applied and deleted
    indexed: int = 0  # articles (re-)indexed
    removed: int = 0  # ids no longer in the database, removed from the index
    batches: int = 0

    def __bool__(self) -> bool:
        return bool(self.rows)


@dataclass
class QueueStatus:
    length: int
    oldest: object  # the oldest row's queued_at, or None
    age_seconds: float  # how long the oldest row has waited; 0 when empty

    def as_dict(self) -> dict:
        return {
            "length": self.length,
            "oldest": self.oldest.isoformat() if self.oldest else None,
            "age_seconds": round(self.age_seconds, 1),
        }


def queue_status() -> QueueStatus:
    """How many rows wait, and since when."""
    summary = PendingIndex.objects.aggregate(oldest=Min("queued_at"))
    length = PendingIndex.objects.count()
    oldest = summary["oldest"] if length else None
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return QueueStatus(length=length, oldest=oldest, age_seconds=max(0.0, age))


def drain_queue(
    *,
    article_ids: Iterable[int] | None = None,
    max_rows: int | None = None,
    batch_size: int = BATCH_SIZE,
    lock_timeout: float | None = None,
) -> DrainResult:
    """Apply pending rows to the index, a batch per index commit.

    ``article_ids`` limits the drain to those articles' rows (what one
    request queued); ``max_rows`` stops after about that many rows;
    ``lock_timeout`` overrides how long to wait for another writer's lock
    (``IndexBusyError`` when it runs out: the rows stay queued).
    """
    wanted = sorted({int(pk) for pk in article_ids}) if article_ids is not None else None
    result = DrainResult()
    try:
        while max_rows is None or result.rows < max_rows:
            rows = PendingIndex.objects.order_by("pk")
            if wanted is not None:
                if not wanted:
                    break
                rows = rows.filter(article_id__in=wanted)
            size = batch_size if max_rows is None else min(batch_size, max_rows - result.rows)
            batch = list(rows.values_list("pk", "article_id")[:size])
            if not batch:
                break
            ids = sorted({article_id for _pk, article_id in batch})
            indexed = indexing.update_articles(ids, lock_timeout=lock_timeout)
            # The index has committed: only now are these rows done.
            PendingIndex.objects.filter(pk__in=[pk for pk, _article_id in batch]).delete()
            result.rows += len(batch)
            result.indexed += indexed
            result.removed += len(ids) - indexed
            result.batches += 1
    finally:
        if result.rows:
            # Pages cached between the change's commit and now show the old
            # index's search results and related articles.
            bump_cache_generation()
    return result


def follow_queue(
    *,
    poll_seconds: float = 2.0,
    batch_size: int = BATCH_SIZE,
    should_stop: Callable[[], bool] = lambda: False,
    on_drained: Callable[[DrainResult], None] | None = None,
) -> None:
    """Drain now, then whenever rows appear, until ``should_stop()``.

    An error (the index locked for long, the database away) is logged and
    retried at the next poll; the rows stay queued meanwhile."""
    while not should_stop():
        try:
            result = drain_queue(batch_size=batch_size)
            if result and on_drained is not None:
                on_drained(result)
        except Exception:
            logger.exception("draining the index queue failed; retrying in %.0f s", poll_seconds)
        # A long-lived process must not keep a connection the database closed.
        close_old_connections()
        deadline = time.monotonic() + poll_seconds
        while not should_stop() and time.monotonic() < deadline:
            time.sleep(min(0.2, poll_seconds))
