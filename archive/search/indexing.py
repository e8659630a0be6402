"""Keep the search index in step with the database, explicitly.

Ingest and the admin call :func:`update_articles` / :func:`remove_articles`
after their transaction commits. Both go through the backend's one writer,
which waits for another process's write lock and raises
:class:`IndexBusyError` rather than dropping the change.

:func:`rebuild` builds a complete index in a fresh directory beside the live
one and swaps a symlink, so searches keep answering from the old index until
the new one is whole.
"""

from __future__ import annotations

import ctypes
import datetime
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from haystack import connections
from haystack.constants import DJANGO_ID
from whoosh.filedb.filestore import FileStorage

from archive.models import Article, id_batches
from archive.search import dictionary
from archive.search.whoosh_engine import IndexBusyError, generations
from archive.search.whoosh_engine.bulk_writer import BulkSegmentWriter
from archive.search.whoosh_engine.generations import claim_build, new_generation_dir, release_build, swap_in

__all__ = ["IndexBusyError", "check", "rebuild", "remove_articles", "update_articles"]

BATCH_SIZE = 500
# Postings a rebuild's segment holds in memory before it is written (about
# 30 bytes each): one segment per worker up to a few hundred thousand articles.
SEGMENT_POSTINGS = 20_000_000
ALIAS = "default"


def _index():
    return connections[ALIAS].get_unified_index().get_index(Article)


def _backend():
    return connections[ALIAS].get_backend()


def index_version() -> str | None:
    """A name for the index's current contents, new after every commit or
    rebuild; None for an engine that cannot tell."""
    version = getattr(_backend(), "index_version", None)
    return version() if version is not None else None


def engine_state() -> dict:
    """The engine's own view of the index, without creating anything:
    ``{"engine": ...}`` and, for a search server, its cluster's state."""
    from archive.search import SearchUnavailable

    backend = _backend()
    if hasattr(backend, "status"):
        try:
            state = backend.status()
        except Exception as exc:
            raise SearchUnavailable(f"search server unreachable ({type(exc).__name__})") from exc
        if not state["index"]:
            raise SearchUnavailable(
                f"no index {backend.index_name!r} on the search server; run manage.py rebuild_index"
            )
        return {"engine": "opensearch", **state}
    from whoosh import index as whoosh_index

    if not whoosh_index.exists_in(backend.path):
        raise SearchUnavailable(f"no search index in {backend.path}; run manage.py rebuild_index")
    with whoosh_index.open_dir(backend.path).searcher() as searcher:
        return {"engine": "whoosh", "articles": searcher.doc_count()}


def ensure_index() -> None:
    """An empty index where there is none (a new archive); one that exists
    is left as it is."""
    backend = _backend()
    if hasattr(backend, "ensure_index"):
        backend.ensure_index()
    else:
        # The embedded engine creates an index only when written to (reading
        # never writes); clearing writes an empty one.
        from whoosh import index as whoosh_index

        backend.setup()
        if not whoosh_index.exists_in(backend.path):
            backend.clear()


def _add_reporter_names(articles) -> None:
    dictionary.add_names(byline.reporter.name for article in articles for byline in article.bylines.all())


def update_articles(ids: Iterable[int], *, lock_timeout: float | None = None) -> int:
    """(Re)index the given articles in one commit; ids that are no longer in
    the database are removed from the index. Returns how many were indexed.

    ``lock_timeout`` overrides the seconds to wait for another writer."""
    ids = sorted({int(pk) for pk in ids})
    if not ids:
        return 0
    index = _index()
    backend = _backend()
    dictionary.load_reporter_names()
    written = 0
    missing: list[int] = []
    if not hasattr(backend, "writer"):
        # A search server: haystack's update (a bulk request and a refresh per
        # batch); an unreachable server raises, and the caller keeps the ids.
        for chunk in id_batches(ids, BATCH_SIZE):
            articles = list(index.index_queryset().filter(pk__in=chunk))
            _add_reporter_names(articles)
            backend.update(index, articles)
            written += len(articles)
            found = {article.pk for article in articles}
            missing.extend(pk for pk in chunk if pk not in found)
        if missing:
            remove_articles(missing)
        return written
    with backend.writer(len(ids), timeout=lock_timeout) as writer:
        for chunk in id_batches(ids, BATCH_SIZE):
            articles = list(index.index_queryset().filter(pk__in=chunk))
            _add_reporter_names(articles)
            backend.write_documents(writer, index, articles)
            written += len(articles)
            found = {article.pk for article in articles}
            missing.extend(pk for pk in chunk if pk not in found)
        for pk in missing:
            writer.delete_by_term("id", f"archive.article.{pk}")
    return written


def remove_articles(ids: Iterable[int]) -> int:
    """Remove the given articles from the index in one commit."""
    identifiers = [f"archive.article.{int(pk)}" for pk in dict.fromkeys(ids)]
    if not identifiers:
        return 0
    backend = _backend()
    if hasattr(backend, "remove_many"):
        backend.remove_many(identifiers)
    else:
        for identifier in identifiers:
            backend.remove(identifier)
    return len(identifiers)


# Rebuilding ---------------------------------------------------------------


def remove_abandoned_builds(link_path=None) -> list[str]:
    """Delete the generation directories of rebuilds that were killed;
    builds still running are left alone (see generations.remove_abandoned)."""
    if link_path is None:
        backend = _backend()
        if not hasattr(backend, "writer"):
            return []  # a search server keeps no directories here
        link_path = backend.path
    return generations.remove_abandoned(link_path)


@dataclass
class RebuildResult:
    articles: int
    seconds: float
    directory: str
    caught_up: int = 0
    # Processor time of the build (the parent and its workers), which does not
    # depend on what else the machine is doing.
    cpu_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def _write_segments(backend, index, fresh, ids: list[int], batch_size: int, *, compound: bool, progress=None) -> list:
    """Index ``ids`` into new segments of ``fresh`` (not yet committed).

    The bulk writer holds a segment's postings in memory; past
    ``SEGMENT_POSTINGS`` another segment is started, so memory stays bounded
    however large the archive."""
    segments = []
    writer = BulkSegmentWriter(fresh, _lk=False, compound=compound)
    try:
        done = 0
        for chunk in id_batches(ids, batch_size):
            backend.write_documents(writer, index, list(index.index_queryset().filter(pk__in=chunk)))
            done += len(chunk)
            if progress:
                progress(done, len(ids))
            if writer.postings >= SEGMENT_POSTINGS:
                segments.append(writer._finalize_segment())
                writer = BulkSegmentWriter(fresh, _lk=False, compound=compound)
        if writer._added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
    except BaseException:
        if not writer.perdocwriter.is_closed or not writer.fieldwriter.is_closed:
            writer._close_segment()
        raise
    return segments


def _adopt_segments(fresh, segments) -> None:
    """Commit segments written by ``_write_segments`` as the index's contents
    (Whoosh's own multi-process writer adopts its workers' segments this way)."""
    writer = fresh.writer()
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this forked worker when the rebuild that forked
    it dies, even by SIGKILL, instead of indexing on for nobody."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        # The parent died before the request took effect.
        os._exit(1)


# Database connections a forked worker inherited: kept, never used or closed.
_INHERITED_CONNECTIONS: list = []


def _forget_inherited_connections() -> None:
    """Make a forked worker open database connections of its own. The parent
    closes its connections before forking, but one it opened again since (a
    server thread's, a fixture's) would otherwise be used by two processes
    at once: their replies interleave on one socket, and a query reads
    another's rows. The inherited objects are kept, never closed: closing
    would end the parent's session."""
    from django.db import connections as database_connections

    for wrapper in database_connections.all(initialized_only=True):
        if wrapper.connection is not None:
            _INHERITED_CONNECTIONS.append(wrapper.connection)
            wrapper.connection = None


def _build_part(backend, index, directory: str, ids: list[int], batch_size: int, results, parent: int) -> None:
    """One forked worker: index ``ids`` into segments of its own and hand
    them back (they join the index without being copied or merged)."""
    import traceback

    _die_with_parent(parent)
    _forget_inherited_connections()
    try:
        fresh = FileStorage(directory).open_index()
        # The parent holds the new directory alone; it commits the segments.
        # Large rebuild segments are left as separate files (no compound copy):
        # live commits only merge small segments, so these are never deleted
        # under a reader.
        started = time.process_time()
        segments = _write_segments(backend, index, fresh, ids, batch_size, compound=False)
        results.put(("segments", (segments, time.process_time() - started)))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def _build_parallel(backend, index, directory, ids, batch_size, workers) -> tuple[list, float]:
    """Segments written by ``workers`` forked processes, and the CPU seconds
    they used."""
    import multiprocessing
    import queue

    from django.db import connections as database_connections

    # Each worker opens its own database connection; a forked copy of the
    # parent's must not be used (or closed) by two processes.
    database_connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    parts = [ids[number::workers] for number in range(workers)]
    processes = [
        context.Process(target=_build_part, args=(backend, index, directory, part, batch_size, results, os.getpid()))
        for part in parts
        if part
    ]
    for process in processes:
        process.start()
    segments, errors, cpu_seconds = [], [], 0.0
    try:
        for _process in processes:
            while True:
                try:
                    kind, value = results.get(timeout=5)
                    break
                except queue.Empty:
                    if not any(process.is_alive() for process in processes):
                        raise RuntimeError("an indexing worker died without a result") from None
            if kind == "segments":
                segments.extend(value[0])
                cpu_seconds += value[1]
            else:
                errors.append(value)
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
    if errors:
        raise RuntimeError("indexing worker failed:\n" + errors[0])
    return segments, cpu_seconds


def rebuild(batch_size: int = BATCH_SIZE, progress=None, workers: int | None = None) -> RebuildResult:
    """Index every article into a new generation directory, then swap it in.

    With several workers (one per core by default) each forked process reads,
    prepares and indexes its share into a segment of its own."""
    backend = _backend()
    if hasattr(backend, "swap_alias"):
        return _rebuild_on_server(backend, batch_size, progress)
    if not backend.setup_complete:
        backend.setup()
    index = _index()
    dictionary.load_reporter_names(force=True)
    started_at = timezone.now()
    started = time.perf_counter()
    cpu_started = time.process_time()
    remove_abandoned_builds(backend.path)
    directory = new_generation_dir(backend.path)
    claim = claim_build(directory)
    fresh = FileStorage(directory).create_index(backend.schema)
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    workers = max(1, min(workers or os.cpu_count() or 1, 8))
    if len(ids) < batch_size * 2:
        workers = 1
    try:
        if workers > 1:
            segments, cpu_seconds = _build_parallel(backend, index, directory, ids, batch_size, workers)
            if progress:
                progress(len(ids), len(ids))
        else:
            # A small archive: one compound segment, which a later live
            # commit may merge (see backend.MAX_UNMERGED_SEGMENTS).
            segments = _write_segments(backend, index, fresh, ids, batch_size, compound=True, progress=progress)
            cpu_seconds = 0.0
        _adopt_segments(fresh, segments)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        claim.close()
        raise
    # Changes made while building: hold the live index's write lock so no
    # other change lands in the old directory between the catch-up and the swap.
    with backend.write_lock():
        changed = set(Article.objects.filter(updated_at__gte=started_at).values_list("pk", flat=True))
        live = set(Article.objects.values_list("pk", flat=True))
        reader = fresh.reader()
        indexed = {int(fields[DJANGO_ID]) for fields in reader.all_stored_fields()}
        reader.close()
        catch_up = sorted(changed | (live - indexed))
        writer = fresh.writer(timeout=60)
        for chunk in id_batches(catch_up, batch_size):
            backend.write_documents(writer, index, list(index.index_queryset().filter(pk__in=chunk)))
        for pk in indexed - live:
            writer.delete_by_term("id", f"archive.article.{pk}")
        writer.commit(merge=False)
        release_build(directory, claim)
        swap_in(directory, backend.path)
    backend.setup()
    return RebuildResult(
        articles=len(ids),
        seconds=time.perf_counter() - started,
        directory=directory,
        caught_up=len(catch_up),
        cpu_seconds=cpu_seconds + time.process_time() - cpu_started,
    )


def _rebuild_on_server(backend, batch_size: int, progress=None) -> RebuildResult:
    """A search server: fill a new index, then point the alias at it.

    Searches read the old index until the alias moves. Articles changed
    while the new index filled are indexed into it before the swap, and
    those changed during that catch-up (written to the old index through the
    alias) once more after it."""
    index = _index()
    dictionary.load_reporter_names(force=True)
    started = time.perf_counter()
    cpu_started = time.process_time()
    name = backend.new_index()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    try:
        since = timezone.now()
        done = 0
        for chunk in id_batches(ids, batch_size):
            articles = list(index.index_queryset().filter(pk__in=chunk))
            _add_reporter_names(articles)
            backend.update(index, articles, target=name)
            done += len(chunk)
            if progress:
                progress(done, len(ids))
        caught_up = 0
        for _round in range(2):
            changed = sorted(Article.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
            gone = sorted(set(ids) - set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True)))
            since = timezone.now()
            for chunk in id_batches(changed, batch_size):
                backend.update(index, list(index.index_queryset().filter(pk__in=chunk)), target=name)
            backend.remove_many((f"archive.article.{pk}" for pk in gone), target=name)
            caught_up += len(changed)
            if _round == 0:
                backend.conn.indices.refresh(index=name)
                old = backend.swap_alias(name)
        # Writes after the swap go to the new index and bump its version.
        backend.conn.indices.refresh(index=name)
        backend._bump_version()
    except BaseException:
        if name not in backend.live_indices():
            backend.delete_indices([name])
        raise
    backend.delete_indices(old)
    return RebuildResult(
        articles=len(ids),
        seconds=time.perf_counter() - started,
        directory=name,
        caught_up=caught_up,
        cpu_seconds=time.process_time() - cpu_started,
    )


# Checking -----------------------------------------------------------------


@dataclass
class CheckResult:
    database: int = 0
    indexed: int = 0
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    orphaned: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphaned)


def _as_datetime(value):
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value is not None and timezone.is_aware(value):
        value = timezone.make_naive(value, datetime.UTC)
    return value


def check() -> CheckResult:
    """Articles missing from the index, indexed in an older version, or
    indexed but no longer in the database."""
    backend = _backend()
    indexed: dict[int, datetime.datetime | None] = {}
    if hasattr(backend, "stored_versions"):
        # A search server: every indexed article's id and stamp, scrolled.
        for pk, updated_at in backend.stored_versions():
            indexed[pk] = _as_datetime(updated_at)
    else:
        for fields in backend.searcher().reader().all_stored_fields():
            if fields.get("django_ct") == "archive.article":
                indexed[int(fields[DJANGO_ID])] = _as_datetime(fields.get("updated_at"))
    result = CheckResult(indexed=len(indexed))
    # A story's continued parts are in the index as part of its first part.
    searched = Article.objects.searched_alone()
    for pk, updated_at in searched.values_list("pk", "updated_at").iterator(chunk_size=5000):
        result.database += 1
        if pk not in indexed:
            result.missing.append(pk)
            continue
        stamp = indexed.pop(pk)
        if stamp is None or _as_datetime(updated_at) != stamp:
            result.stale.append(pk)
    result.orphaned = sorted(indexed)
    return result
