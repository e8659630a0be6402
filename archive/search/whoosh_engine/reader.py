"""The version of the index a worker reads, and what it caches about it.

Sets of documents are compressed bitmaps (:data:`DocSet`, roaring bitmaps):
a few bytes a document where a Python set takes about 60, unions,
intersections and counts run in C, and the garbage collector has nothing
in them to walk.

Three lifetimes, from short to long:

* :class:`IndexView` — one version of the index (one commit of one
  generation directory): its searcher, its segments (:class:`Segment`, each
  with the documents deleted in it at that version), and the whole-index
  answers computed on it (the documents of queries, filters and facet
  values, field lengths, term scores). A commit makes a new view; the old
  one's answers are dropped.
* :class:`SegmentCache` — values computed from one segment's files: its
  documents for a term or a query, its postings, facet value sets, field
  lengths, date column and date order. A segment's files never change
  (deletions are kept apart and only ever grow), so these outlive a view:
  after a commit of a few documents only the new segment is read, and each
  version takes its deletions out of the union of the segments' sets
  (:meth:`IndexView.live_union`). A value built while the segment started
  at another document number (an earlier segment was merged away) is built
  again; segments no longer in the index are dropped when a view opens.
  Values for terms and queries are held up to ``SEGMENT_CACHE_BYTES`` in
  all, least recently used first out; facet sets, lengths and date columns
  (a bounded number per segment) are kept while the segment is.
* Parsed queries, which depend only on the schema (kept by the backend).

Invariants:

* Reading never writes: a missing or empty index directory reads as an
  empty index (:func:`open_view` builds it in memory), never created on disk.
* A new view opens every segment reader afresh. Whoosh's ``refresh()`` may
  reuse a segment's open reader (Whoosh 2.7.5 does), and that reader keeps
  the deletions the segment had when it was opened: a removed article would
  still be found.
* Per-segment values hold whole-index document numbers (the segment's
  offset added) and may hold deleted documents; whole-index answers never do.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter, OrderedDict

from pyroaring import FrozenBitMap
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage, RamStorage

# A set of document numbers (immutable, so one can be shared by caches).
DocSet = FrozenBitMap
EMPTY = DocSet()

# A searcher opened while a writer deletes merged segments may miss a file;
# opening again sees the new table of contents.
OPEN_RETRIES = 8
# The version name of an index that has not been built yet.
ABSENT = "absent"
# Bytes held in per-segment term and query values, all segments together.
# A bitmap is counted at two bytes a document, what a roaring bitmap's
# sparse containers take (an upper bound: its dense ones take less), a
# posting at twelve (a document number and a weight). A word in 700,000 of
# a million articles counts 1.4 MB as a bitmap (it takes about 125 KB) and
# 8.4 MB as postings.
SEGMENT_CACHE_BYTES = 256 * 1024 * 1024


def bitmap_bytes(docs: DocSet) -> int:
    return 2 * len(docs)


class Segment:
    """One segment as a version of the index has it."""

    __slots__ = ("count", "deleted", "leaf", "offset", "searcher", "segment_id")

    def __init__(self, searcher, offset: int):
        self.searcher = searcher
        self.leaf = searcher.reader()
        self.offset = offset
        self.count = self.leaf.doc_count_all()
        segment = self.leaf.segment()
        self.segment_id = segment.segment_id() if segment is not None else id(self.leaf)
        if self.leaf.has_deletions():
            self.deleted = DocSet(offset + docnum for docnum in self.leaf.segment().deleted_docs())
        else:
            self.deleted = EMPTY


class SegmentCache:
    """{(segment id, what): (offset, value)} for the segments in use."""

    def __init__(self, budget: int = SEGMENT_CACHE_BYTES):
        self.budget = budget
        # Kept while the segment is in the index.
        self._kept: dict = {}
        # Term and query values, least recently used first.
        self._recent: OrderedDict = OrderedDict()
        self.held = 0
        # Values built per segment id: how a test sees that a segment that
        # survived a commit was not read again.
        self.builds: Counter = Counter()

    def value(self, segment: Segment, what, build, size=None):
        """``build(segment)``, kept for the segment; ``size(value)`` (for a
        term or query value) counts its bytes against the budget."""
        key = (segment.segment_id, what)
        store = self._kept if size is None else self._recent
        entry = store.get(key)
        if entry is not None and entry[0] == segment.offset:
            if size is not None:
                store.move_to_end(key)
            return entry[1]
        value = build(segment)
        self.builds[segment.segment_id] += 1
        if size is None:
            store[key] = (segment.offset, value)
            return value
        if entry is not None:
            self.held -= entry[2]
        held = size(value) + 1
        store[key] = (segment.offset, value, held)
        self.held += held
        while self.held > self.budget and len(store) > 1:
            _key, oldest = store.popitem(last=False)
            self.held -= oldest[2]
        return value

    def keep_only(self, segment_ids) -> None:
        """Drop the values of segments no longer in the index."""
        for key in [key for key in self._kept if key[0] not in segment_ids]:
            del self._kept[key]
        for key in [key for key in self._recent if key[0] not in segment_ids]:
            self.held -= self._recent.pop(key)[2]
        for segment_id in [segment_id for segment_id in self.builds if segment_id not in segment_ids]:
            del self.builds[segment_id]

    def entries(self) -> list[tuple]:
        """(segment id, what) of every value held."""
        return [*self._kept, *self._recent]

    def clear(self) -> None:
        self._kept.clear()
        self._recent.clear()
        self.held = 0
        self.builds.clear()


class IndexView:
    """One version of the index: its searcher and the caches for it."""

    def __init__(self, searcher, version: str, segments: SegmentCache):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.version = version
        self.segment_cache = segments
        self.size = self.reader.doc_count_all()
        self.segments = [Segment(sub, offset) for sub, offset in (searcher.subsearchers or [(searcher, 0)])]
        self.deleted = EMPTY.union(*(segment.deleted for segment in self.segments))
        segments.keep_only({segment.segment_id for segment in self.segments})
        # Filled by the backend and the evaluation, facet and scoring modules.
        self.indexed_types: frozenset | None = None
        self.query_docs: OrderedDict = OrderedDict()
        self.answers: OrderedDict = OrderedDict()
        self.term_docs: dict = {}
        self.facet_docs: dict = {}
        self.columns: dict = {}
        self.lengths: dict = {}
        self.term_scores: OrderedDict = OrderedDict()
        self.term_score_entries = 0

    def segment_value(self, segment: Segment, what, build, size=None):
        return self.segment_cache.value(segment, what, build, size)

    def live_union(self, sets) -> DocSet:
        """The live documents of per-segment sets (which may hold deleted
        documents): their union, without this version's deletions."""
        union = EMPTY.union(*sets)
        if self.deleted and not self.deleted.isdisjoint(union):
            return union - self.deleted
        return union

    def up_to_date(self) -> bool:
        if self.version.startswith(ABSENT):
            return False
        try:
            return self.searcher.up_to_date()
        except (OSError, whoosh_index.EmptyIndexError):
            return False

    def close(self) -> None:
        if self.version.startswith(ABSENT):
            return
        # A reader of files a merge deleted may fail to close; nothing to keep.
        with contextlib.suppress(Exception):
            self.searcher.close()


def index_exists(index_dir: str) -> bool:
    return os.path.isdir(index_dir) and FileStorage(index_dir).index_exists()


def open_file_index(storage, schema):
    """The index in ``storage``, read again when another process commits
    between listing the table of contents and reading it (the commit removes
    the old one; the next is whole). Readers and writers both open it so."""
    for attempt in range(OPEN_RETRIES - 1):
        try:
            return storage.open_index(schema=schema)
        except FileNotFoundError:
            time.sleep(0.01 * (attempt + 1))
    return storage.open_index(schema=schema)


def open_view(index_dir: str, schema, segments: SegmentCache, previous: IndexView | None = None) -> IndexView:
    """The current version of the index in ``index_dir``; ``previous`` is
    returned when it is still current."""
    if previous is not None and previous.up_to_date():
        return previous
    for attempt in range(OPEN_RETRIES):
        if not index_exists(index_dir):
            if previous is not None and previous.version.startswith(ABSENT):
                return previous
            segments.clear()
            searcher = RamStorage().create_index(schema).searcher()
            view = IndexView(searcher, f"{ABSENT}.{os.path.basename(index_dir)}", segments)
            break
        try:
            searcher = open_file_index(FileStorage(index_dir), schema).searcher()
            version = f"{os.path.basename(index_dir)}.{searcher.ixreader.generation()}"
            view = IndexView(searcher, version, segments)
            break
        except (OSError, whoosh_index.EmptyIndexError):
            # Another process committed between listing the table of contents
            # and reading a segment; the next table of contents is whole.
            if attempt == OPEN_RETRIES - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    if previous is not None:
        previous.close()
    return view
