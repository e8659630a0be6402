"""Full-text search: the one interface the rest of the archive uses.

Code outside this package imports from here (and query objects from
:mod:`archive.search.query`), never from the engine's own modules. Which
engine answers (the archive's Whoosh index or an OpenSearch / Elasticsearch
cluster) is a setting, ``SEARCH_ENGINE``; nothing here depends on it.

The names are loaded on first use: an index's schema names this package's
analyzer, so a process that only opens the index with Whoosh (a tool, a
test's oracle) imports this package without Django being set up.
"""

import importlib

_EXPORTS = {
    "IndexBusyError": "archive.search.whoosh_engine",
    "engine_state": "archive.search.indexing",
    "ensure_index": "archive.search.indexing",
    "index_version": "archive.search.indexing",
    "BATCH_SIZE": "archive.search.indexing",
    "check": "archive.search.indexing",
    "rebuild": "archive.search.indexing",
    "remove_articles": "archive.search.indexing",
    "update_articles": "archive.search.indexing",
    "prepare": "archive.search.startup",
    "related_articles": "archive.search.related",
    "remove_abandoned_builds": "archive.search.indexing",
    "DrainResult": "archive.search.queue",
    "QueueStatus": "archive.search.queue",
    "drain_queue": "archive.search.queue",
    "follow_queue": "archive.search.queue",
    "queue_status": "archive.search.queue",
}


class SearchUnavailable(RuntimeError):
    """The index cannot be used now (a search server that does not answer,
    no index yet); the message is short and safe to show."""


__all__ = sorted([*_EXPORTS, "SearchUnavailable"])


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *_EXPORTS})
