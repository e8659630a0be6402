"""Facet counts: how many of the matched documents have each value of an
exact field (topic, reporter, year, kind, section...).

Invariants:

* A facet value's documents are the live documents whose postings hold the
  value's term, as Whoosh's own ``docs_for_query(Term(...))`` gives them.
* Per segment, {value: documents} and the bit masks of common values are
  read once and kept in the :class:`~.reader.SegmentCache` (deleted
  documents included); each index version unions the segments and takes
  out its deletions, from a set only where it holds a deleted document.
* Counts come back most frequent first, equal counts by the value's text;
  values with no matched document are left out.
* Few matches are counted by set intersections; many by AND-ing bit masks
  for the common values (one machine word per 64 documents instead of one
  probe per document) — both give the same counts.
"""

from __future__ import annotations

from archive.search.whoosh_engine.postings import posting_ids

# Bit masks once the matched documents are at least this fraction (1/n) of
# the index.
FACET_MASK_SHARE = 64
# A value in at least 1/n of the documents gets a mask (AND-ing masks beats
# probing a set from about a dozen documents on).
MASKED_VALUE_SHARE = 512


def bit_mask(docs, size: int) -> int:
    """Document numbers as the bits of one integer (bit n for document n)."""
    bits = bytearray((size + 7) // 8)
    for docnum in docs:
        bits[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(bits, "little")


def _segment_facet_docs(view, segment, fieldname: str) -> dict:
    """{value: documents} of an exact field in one segment, deleted ones
    included, numbered in the whole index."""

    def build(segment):
        field = view.searcher.schema[fieldname]
        leaf, offset = segment.leaf, segment.offset
        by_value = {}
        if fieldname in leaf.indexed_field_names():
            for term in leaf.lexicon(fieldname):
                found: list[int] = []
                for docids in posting_ids(leaf.postings(fieldname, term)):
                    found.extend(map(offset.__add__, docids) if offset else docids)
                by_value[field.from_bytes(term)] = frozenset(found)
        return by_value

    return view.segment_value(segment, ("facets", fieldname), build)


def facet_docs(view, fieldname: str) -> dict:
    """{value: live documents} of an exact field."""
    cached = view.facet_docs.get(fieldname)
    if cached is None:
        parts: dict = {}
        for segment in view.segments:
            for value, docs in _segment_facet_docs(view, segment, fieldname).items():
                parts.setdefault(value, []).append(docs)
        cached = {value: view.live_union(docs) for value, docs in parts.items()}
        cached = {value: docs for value, docs in cached.items() if docs}
        view.facet_docs[fieldname] = cached
    return cached


def _segment_mask(view, segment, fieldname: str, value) -> int:
    """The bit mask of a value's documents in one segment (deleted ones
    included), made once per segment and value."""
    masks = view.segment_value(segment, ("facet masks", fieldname), lambda segment: {})
    mask = masks.get(value)
    if mask is None:
        docs = _segment_facet_docs(view, segment, fieldname).get(value, ())
        offset = segment.offset
        mask = masks[value] = bit_mask((docnum - offset for docnum in docs), segment.count) << offset
    return mask


def _deleted_mask(view) -> int:
    mask = view.facet_masks.get(None)
    if mask is None:
        mask = view.facet_masks[None] = bit_mask(view.deleted, view.size)
    return mask


def _facet_masks(view, fieldname: str) -> list[tuple]:
    """(value, documents, bit mask or None) of an exact field."""
    cached = view.facet_masks.get(fieldname)
    if cached is None:
        size = view.size
        cached = []
        for value, docs in facet_docs(view, fieldname).items():
            mask = None
            if len(docs) * MASKED_VALUE_SHARE >= size:
                mask = 0
                for segment in view.segments:
                    mask |= _segment_mask(view, segment, fieldname, value)
                if view.deleted:
                    mask &= ~_deleted_mask(view)
            cached.append((value, docs, mask))
        view.facet_masks[fieldname] = cached
    return cached


def facet_counts(view, fieldname: str, matched: frozenset, matched_mask) -> list[tuple]:
    """(value, count) of the matched documents, most frequent first.
    ``matched_mask()`` gives the matched documents' bit mask."""
    if len(matched) * FACET_MASK_SHARE < view.size:
        # Few matches: each intersection iterates the matched documents.
        counts = [(value, len(docs & matched)) for value, docs in facet_docs(view, fieldname).items()]
    else:
        # Many: an AND of bit masks for a common value, an intersection for a rare one.
        counts = [
            (value, (mask & matched_mask()).bit_count() if mask is not None else len(docs & matched))
            for value, docs, mask in _facet_masks(view, fieldname)
        ]
    return sorted(((value, count) for value, count in counts if count), key=lambda item: (-item[1], str(item[0])))
