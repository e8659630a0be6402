"""Per-process start-up for search, called from ``ArchiveConfig.ready``."""

from __future__ import annotations

from django.conf import settings


def prepare() -> None:
    # jieba (used for keyword weights and by the stock analyzer in the bench)
    # writes its dictionary cache here rather than to a shared /tmp.
    cache_dir = getattr(settings, "JIEBA_CACHE_DIR", None)
    if cache_dir:
        import jieba

        cache_dir.mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(cache_dir)
    from archive.search.analysis import fold_table
    from archive.search.dictionary import segmenter

    fold_table()
    segmenter()
