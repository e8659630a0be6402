"""After a request that changed the archive (an editor's save, an admin
action), bring the search index in step before the response goes out.

The change queued its articles in its own transaction
(``archive.indexqueue``); this drains exactly those rows once the
transaction has committed, when they are few. Larger sets (a merge of a
prolific reporter, a topic set on thousands of articles) stay queued for the
server's index drainer (``manage.py drain_index --follow``, started by
gunicorn): no indexing runs in a web worker's thread, and a worker restart
loses nothing.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import transaction

from archive import editing, indexqueue, search

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# An editor's request waits at most this long for another writer (an ingest,
# the drainer) to release the index; then the drainer applies the rows.
REQUEST_LOCK_TIMEOUT = 5.0


class DrainIndexQueueMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        with indexqueue.collecting() as queued:
            response = self.get_response(request)
        if queued:
            # Outside a transaction (always, in production) this runs now.
            transaction.on_commit(lambda: self.drain(request, sorted(queued)))
        return response

    def drain(self, request, article_ids: list[int]) -> None:
        if len(article_ids) > editing.INLINE_INDEX_LIMIT:
            _tell(
                request,
                messages.INFO,
                f"{len(article_ids)} 篇文章的搜索索引正在后台更新；完成前搜索结果可能仍是旧的。",
            )
            return
        try:
            search.drain_queue(article_ids=article_ids, lock_timeout=REQUEST_LOCK_TIMEOUT)
        except Exception:
            logger.exception("index queue not drained for articles %s; they stay queued", article_ids)
            _tell(request, messages.WARNING, "修改已保存；搜索索引稍后自动更新，在此之前搜索结果可能仍是旧的。")


def _tell(request, level, text) -> None:
    # Only requests through the message middleware (the admin) can be told.
    if hasattr(request, "_messages"):
        messages.add_message(request, level, text)
