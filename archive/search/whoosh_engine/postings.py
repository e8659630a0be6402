"""Reading Whoosh 2.7.4's index files a block at a time.

This module owns every use of the private parts of Whoosh's reading side
(``W3LeafMatcher``'s block attributes, ``NumericColumn.Reader``'s file
offsets); the rest of the engine calls these functions.

Invariants:

* A posting list is read in document order, one block (up to 128 postings)
  per step; ids are segment-local document numbers.
* Deleted documents are *not* left out here: Whoosh keeps deleted postings
  until a merge, and the callers subtract :func:`deleted_documents`.
* Another matcher than Whoosh's own leaf matcher (a future codec) is read
  posting by posting through its public methods: slower, same result.
"""

from __future__ import annotations

import struct
from itertools import accumulate

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.columns import NumericColumn
from whoosh.matching.wrappers import FilterMatcher


def _leaf_matcher(matcher):
    while isinstance(matcher, FilterMatcher):
        # Deleted documents are left to the caller; read the postings.
        matcher = matcher.child
    return matcher


def _block_ids(matcher) -> tuple:
    """The document ids of a posting list's current block (Whoosh decodes
    the stored differences with a generator in Python)."""
    if matcher._data is None:
        matcher._read_data()
    ids = matcher._data[0]
    return ids if matcher._byteids else tuple(accumulate(ids))


def posting_ids(matcher):
    """The document ids of a posting list, a block at a time."""
    matcher = _leaf_matcher(matcher)
    if isinstance(matcher, W3LeafMatcher):
        while not matcher._atend:
            yield _block_ids(matcher)
            matcher._next_block()
        return
    yield list(matcher.all_ids())


def posting_weights(matcher):
    """(ids, weights) per block of a posting list."""
    matcher = _leaf_matcher(matcher)
    if isinstance(matcher, W3LeafMatcher):
        while not matcher._atend:
            matcher._read_weights()
            yield _block_ids(matcher), matcher._weights
            matcher._next_block()
        return
    docids, weights = [], []
    while matcher.is_active():
        docids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield docids, weights


def posting_values(matcher):
    """(ids, encoded values) per block of a posting list (the values hold
    the positions in a positions-format field)."""
    matcher = _leaf_matcher(matcher)
    if isinstance(matcher, W3LeafMatcher):
        while not matcher._atend:
            matcher._read_values()
            yield _block_ids(matcher), matcher._values
            matcher._next_block()
        return
    docids, values = [], []
    while matcher.is_active():
        docids.append(matcher.id())
        values.append(matcher.value())
        matcher.next()
    yield docids, values


def deleted_documents(leaf) -> frozenset:
    """Deleted document numbers of one segment (segment-local)."""
    return frozenset(leaf.segment().deleted_docs()) if leaf.has_deletions() else frozenset()


def term_documents(reader, fieldname: str, btext: bytes) -> frozenset:
    """The live documents of a term in the whole index, read a block at a
    time from each segment (Whoosh's ``all_ids()`` yields them one by one
    through several layers of matchers: a value in most documents took about
    a second at 100,000 articles)."""
    found: list[int] = []
    deleted: list[int] = []
    for leaf, offset in reader.leaf_readers():
        if (fieldname, btext) not in leaf:
            continue
        for docids in posting_ids(leaf.postings(fieldname, btext)):
            found.extend(map(offset.__add__, docids) if offset else docids)
        deleted.extend(offset + docnum for docnum in deleted_documents(leaf))
    documents = frozenset(found)
    return documents.difference(deleted) if deleted else documents


def column_values(leaf, fieldname: str) -> list:
    """Every document's raw value in one segment's column; a numeric column
    (dates) is unpacked in one call instead of document by document."""
    column = leaf.column_reader(fieldname, translate=False)
    if type(column) is NumericColumn.Reader:
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        values = [value for (value,) in struct.iter_unpack("!" + column._typecode, raw)]
        # Documents after the last stored value have the default.
        return values + [column._default] * (column._doccount - column._count)
    return list(column)
