"""The version of the index a worker reads, and what it caches about it.

Three lifetimes, from short to long:

* :class:`IndexView` — one version of the index (one commit of one
  generation directory): its searcher, and the document sets, facet sets,
  date order, field lengths and term scores computed for that version. A
  commit makes a new view; the old one and its caches are dropped whole.
* :class:`SegmentCache` — values computed from one segment's files (its
  facet value sets, its field lengths). Segments never change except for
  their deletions, which callers apply on top, so these outlive a view: after
  a commit of a few documents only the new segment is read. One entry per
  (segment, what); an entry built while the segment started at another
  document number is rebuilt; segments no longer in the index are pruned.
* Parsed queries, which depend only on the schema (kept by the backend).

Invariants:

* Reading never writes: a missing or empty index directory reads as an
  empty index (:func:`open_view` builds it in memory), never created on disk.
* A new view opens every segment reader afresh. Whoosh's ``refresh()`` may
  reuse a segment's open reader (Whoosh 2.7.5 does), and that reader keeps
  the deletions the segment had when it was opened: a removed article would
  still be found.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import OrderedDict

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage, RamStorage

# A searcher opened while a writer deletes merged segments may miss a file;
# opening again sees the new table of contents.
OPEN_RETRIES = 8
# The version name of an index that has not been built yet.
ABSENT = "absent"


class SegmentCache:
    """{(segment id, what): (offset, value)} for the segments in use."""

    def __init__(self):
        self._values: dict = {}

    def values(self, reader, what, build) -> list[tuple]:
        """(leaf reader, offset, ``build(leaf, offset)``) for each segment of
        ``reader``; values of segments no longer in the index are dropped."""
        found = []
        live = set()
        for leaf, offset in reader.leaf_readers():
            segment = leaf.segment()
            segment_id = segment.segment_id() if segment is not None else id(leaf)
            live.add(segment_id)
            key = (segment_id, what)
            entry = self._values.get(key)
            if entry is None or entry[0] != offset:
                entry = self._values[key] = (offset, build(leaf, offset))
            found.append((leaf, offset, entry[1]))
        for key in [key for key in self._values if key[0] not in live]:
            del self._values[key]
        return found

    def entries(self) -> list[tuple]:
        """(segment id, what) of every value held."""
        return list(self._values)

    def clear(self) -> None:
        self._values.clear()


class IndexView:
    """One version of the index: its searcher and the caches for it."""

    def __init__(self, searcher, version: str, segments: SegmentCache):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.version = version
        self.segments = segments
        self.size = self.reader.doc_count_all()
        # Filled by the evaluation, facet and scoring modules.
        self.query_docs: OrderedDict = OrderedDict()
        self.term_docs: dict = {}
        self.facet_docs: dict = {}
        self.facet_masks: dict = {}
        self.date_order: dict = {}
        self.lengths: dict = {}
        self.term_scores: OrderedDict = OrderedDict()
        self.term_score_entries = 0

    def segment_values(self, what, build) -> list[tuple]:
        return self.segments.values(self.reader, what, build)

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
            searcher = FileStorage(index_dir).open_index(schema=schema).searcher()
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
