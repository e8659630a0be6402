"""The version of the index a worker reads, and what it caches about it.

Three lifetimes, from short to long:

* :class:`IndexView` — one version of the index (one commit of one
  generation directory): its searcher, its segments (:class:`Segment`, each
  with the documents deleted in it at that version), and the whole-index
  answers computed on it (the documents of queries, filters and facet
  values, field lengths, term scores). A commit makes a new view; the old
  one's answers are dropped, except the unions of per-segment sets, which
  the next view takes over for the segments that survived
  (:meth:`IndexView.live_union`).
* :class:`SegmentCache` — values computed from one segment's files: its
  documents for a term or a query, its postings, facet value sets, field
  lengths, date column and date order. A segment's files never change
  (deletions are kept apart and only ever grow), so these outlive a view:
  after a commit of a few documents only the new segment is read, and each
  version applies its deletions on top as a set difference, done only where
  a deleted document is in the set. A value built while the segment started
  at another document number (an earlier segment was merged away) is built
  again; segments no longer in the index are dropped when a view opens.
  Values for terms and queries are held up to ``SEGMENT_CACHE_ENTRIES``
  set entries in all, least recently used first out; facet sets, lengths and
  date columns (a bounded number per segment) are kept while the segment is.
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

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage, RamStorage

# A searcher opened while a writer deletes merged segments may miss a file;
# opening again sees the new table of contents.
OPEN_RETRIES = 8
# The version name of an index that has not been built yet.
ABSENT = "absent"
# Documents held in per-segment term and query sets, all segments together
# (about 60 bytes each: an int object and its slot in a set); a posting in
# an array (12 bytes) counts as a fifth of one. At 100,000 articles a
# common word's set and postings count about 50,000 per field. Sets are
# also what a full collection of Python's cycle collector walks (see
# docs/search.md), so more is not simply better.
SEGMENT_CACHE_ENTRIES = 2_000_000
# Documents held in the unions of per-segment sets a view keeps for the
# next, per document of the index (most of them are the very sets the
# view's answers hold, not copies).
UNION_ENTRIES_PER_DOCUMENT = 16


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
            self.deleted = frozenset(offset + docnum for docnum in self.leaf.segment().deleted_docs())
        else:
            self.deleted = frozenset()


class SegmentCache:
    """{(segment id, what): (offset, value)} for the segments in use."""

    def __init__(self, budget: int = SEGMENT_CACHE_ENTRIES):
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
        term or query value) counts it against the budget."""
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

    def __init__(self, searcher, version: str, segments: SegmentCache, previous: IndexView | None = None):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.version = version
        self.segment_cache = segments
        self.size = self.reader.doc_count_all()
        self.segments = [Segment(sub, offset) for sub, offset in (searcher.subsearchers or [(searcher, 0)])]
        self.deleted = frozenset().union(*(segment.deleted for segment in self.segments))
        segments.keep_only({segment.segment_id for segment in self.segments})
        # Unions of per-segment sets: {(id of each set, ...): (the sets, union)};
        # the previous view's serve this one where the same sets meet again.
        self._unions: dict = {}
        self._union_entries = 0
        self._earlier_unions: dict = previous._unions if previous is not None else {}
        # Filled by the evaluation, facet and scoring modules.
        self.query_docs: OrderedDict = OrderedDict()
        self.answers: OrderedDict = OrderedDict()
        self.term_docs: dict = {}
        self.facet_docs: dict = {}
        self.facet_masks: dict = {}
        self.columns: dict = {}
        self.lengths: dict = {}
        self.term_scores: OrderedDict = OrderedDict()
        self.term_score_entries = 0

    def segment_value(self, segment: Segment, what, build, size=None):
        return self.segment_cache.value(segment, what, build, size)

    def live_union(self, sets) -> frozenset:
        """The live documents of per-segment sets (which may hold deleted
        documents): their union, without this version's deletions."""
        sets = tuple(found for found in sets if found)
        if not sets:
            return frozenset()
        if len(sets) == 1:
            union = sets[0]
        else:
            key = tuple(map(id, sets))
            # The entry holds the sets themselves, so no other object can
            # have taken one of these ids while it is kept.
            entry = self._unions.get(key) or self._earlier_unions.get(key)
            if entry is None:
                largest = max(sets, key=len)
                entry = (sets, largest.union(*(found for found in sets if found is not largest)))
            if key not in self._unions:
                self._union_entries += len(entry[1])
                if self._union_entries > UNION_ENTRIES_PER_DOCUMENT * max(self.size, 1 << 16):
                    self._unions.clear()
                    self._union_entries = len(entry[1])
                self._unions[key] = entry
            union = entry[1]
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
        self._earlier_unions = {}
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
            view = IndexView(searcher, version, segments, previous)
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
