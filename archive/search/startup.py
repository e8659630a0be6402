"""Per-process start-up for search, called from ``ArchiveConfig.ready``."""

from __future__ import annotations

from django.conf import settings


def prepare() -> None:
    _refuse_an_unverified_whoosh()
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


def _refuse_an_unverified_whoosh() -> None:
    """Stop the process with one line when the embedded engine is configured
    on a Whoosh it was not proven against (it would give wrong results)."""
    engines = [connection.get("ENGINE", "") for connection in settings.HAYSTACK_CONNECTIONS.values()]
    if not any(engine.startswith("archive.search.whoosh_engine") for engine in engines):
        return
    from archive.search.whoosh_engine.version import whoosh_version_problem

    problem = whoosh_version_problem()
    if problem:
        raise SystemExit(problem)
