"""Keep the search index in step with the database, explicitly."""

from __future__ import annotations

from haystack import connections

from archive.models import Article


def _index():
    return connections["default"].get_unified_index().get_index(Article)


def update_articles(ids) -> int:
    ids = list(ids)
    if not ids:
        return 0
    index = _index()
    backend = connections["default"].get_backend()
    queryset = index.index_queryset().filter(pk__in=ids)
    backend.update(index, queryset)
    return len(ids)


def remove_articles(ids) -> int:
    backend = connections["default"].get_backend()
    for pk in ids:
        backend.remove(f"archive.article.{pk}")
    return len(ids)
