"""Reading Whoosh 2.7.4's index files a block at a time.

This module owns every use of the private parts of Whoosh's reading side
(``W3LeafMatcher``'s block attributes, ``NumericColumn.Reader``'s file
offsets); the rest of the engine calls these functions.

Invariants:

* A posting list is read in document order, one block (up to 128 postings)
  per step; ids are segment-local document numbers.
* Deleted documents are *not* left out here: Whoosh keeps deleted postings
  until a merge, and each version of the index takes its deletions out
  (:class:`~.reader.IndexView`).
* Another matcher than Whoosh's own leaf matcher (a future codec) is read
  posting by posting through its public methods: slower, same result.
"""

from __future__ import annotations

import bisect
import struct
from itertools import accumulate

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.columns import NumericColumn
from whoosh.compat import loads
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.system import _INT_SIZE


def _leaf_matcher(matcher):
    if isinstance(matcher, FilterMatcher):
        # Deleted documents are left to the caller; read the postings.
        while isinstance(matcher, FilterMatcher):
            matcher = matcher.child
        # The filter has already moved its child past the deleted documents
        # at the start of the list (past all of it when every one is
        # deleted): back to the first posting, so that a list reads the same
        # before and after its documents are deleted.
        matcher.reset()
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
    return _posting_blocks(matcher, "_read_weights", "_weights", "weight")


def posting_values(matcher, wanted: list[int] | None = None):
    """(ids, encoded values) per block of a posting list (the values hold
    the positions in a positions-format field). With ``wanted`` (sorted
    segment-local ids), only the blocks that may hold one of them are read:
    a block's last id is known without decoding it, so a phrase's position
    check on a few candidates skips most of a common word's blocks."""
    return _posting_blocks(matcher, "_read_values", "_values", "value", wanted)


def _posting_blocks(matcher, read_block: str, block_attribute: str, read_posting: str, wanted=None):
    """(ids, one item per posting) per block: the block's decoded array
    (``read_block`` fills ``block_attribute``) from Whoosh's own leaf
    matcher, else ``read_posting`` called posting by posting."""
    matcher = _leaf_matcher(matcher)
    if isinstance(matcher, W3LeafMatcher):
        after = -1
        while not matcher._atend:
            last = matcher._maxid
            if wanted is None or _any_between(wanted, after, last):
                getattr(matcher, read_block)()
                yield _block_ids(matcher), getattr(matcher, block_attribute)
            after = last
            matcher._next_block()
        return
    docids, items = [], []
    while matcher.is_active():
        docids.append(matcher.id())
        items.append(getattr(matcher, read_posting)())
        matcher.next()
    yield docids, items


def _any_between(ordered: list[int], after: int, last: int) -> bool:
    """Whether ``ordered`` holds a number in (after, last]."""
    index = bisect.bisect_right(ordered, after)
    return index < len(ordered) and ordered[index] <= last


def position_decoder(field_format):
    """A function from a posting's encoded value to its positions (an
    iterable), as ``field_format.decode_positions`` gives them. For Whoosh's
    own ``Positions`` format (a count, then the pickled differences) the
    differences are summed in C instead of a Python loop: a phrase's check
    decodes one value per candidate and word."""
    if type(field_format) is not Positions:
        return field_format.decode_positions

    def decode(value: bytes):
        # As Whoosh does: a value may be stored without its final STOP opcode.
        return accumulate(loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b"."))

    return decode


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
