"""Queries as sets of document numbers (:data:`~.reader.DocSet` bitmaps),
and the date order.

A parsed Whoosh query made of terms, phrases, AND, OR, NOT and match-all is
evaluated segment by segment as set operations on per-term document sets
read a block at a time (:mod:`.postings`); any other query type is left to
Whoosh's searcher of that segment.

Invariants:

* Whether a document matches depends on that document only, so a query's
  documents are the union of its documents in each segment. A segment's
  answer is kept in the :class:`~.reader.SegmentCache` with the deleted
  documents in it (set operations commute with taking the live documents
  out), and serves every later version while the segment survives.
* Whole-index sets hold *live* documents only: each version takes its
  deletions out of the union (:meth:`~.reader.IndexView.live_union`) and
  keeps the result in its :class:`~.reader.IndexView`, never carried to
  another version.
* The date order is Whoosh's sort on the column; within one day documents
  keep the order they were indexed in, newest first or not. Each segment's
  order is sorted once; a version merges them.
* A phrase (Whoosh's ``Phrase`` with slop 1) matches a document when its
  words stand at consecutive positions, exactly as Whoosh's phrase matcher
  decides; positions are checked only for documents holding every word.
"""

from __future__ import annotations

import heapq
from array import array

from whoosh import query as whoosh_query

from archive.search.whoosh_engine.postings import (
    column_values,
    position_decoder,
    posting_ids,
    posting_values,
    posting_weights,
)
from archive.search.whoosh_engine.reader import EMPTY, DocSet, bitmap_bytes

# Documents a query or filter matched, kept per index version.
QUERY_CACHE_SIZE = 128


def query_docs(view, query_string: str, parsed) -> DocSet:
    """Documents matching a query string, cached per index version."""
    cached = view.query_docs.get(query_string)
    if cached is not None:
        view.query_docs.move_to_end(query_string)
        return cached
    docs = EMPTY if parsed is whoosh_query.NullQuery else docs_of(view, parsed)
    view.query_docs[query_string] = docs
    if len(view.query_docs) > QUERY_CACHE_SIZE:
        view.query_docs.popitem(last=False)
    return docs


def is_position_phrase(query) -> bool:
    return isinstance(query, whoosh_query.Phrase) and query.slop == 1 and bool(query.words)


def docs_of(view, query) -> DocSet:
    """Live documents matching a parsed query: each segment's answer (kept
    while the segment is in the index), less this version's deletions."""
    if isinstance(query, whoosh_query.Term):
        return term_docs(view, query.fieldname, query.text)
    if isinstance(query, whoosh_query.Every):
        return all_docs(view)
    return view.live_union(segment_query_docs(view, segment, query) for segment in view.segments)


def segment_query_docs(view, segment, query) -> DocSet:
    """:func:`segment_docs`, kept while the segment is in the index."""
    if isinstance(query, whoosh_query.Term):
        return segment_term(view, segment, query.fieldname, query.text)
    return view.segment_value(
        segment, ("docs", repr(query)), lambda segment: segment_docs(view, segment, query), bitmap_bytes
    )


def segment_docs(view, segment, query) -> DocSet:
    """Documents of one segment matching a parsed query, deleted ones
    included (the caller takes out the deletions of its version)."""
    if isinstance(query, whoosh_query.Every):
        return segment_all(view, segment)
    if isinstance(query, whoosh_query.Term):
        return segment_term(view, segment, query.fieldname, query.text)
    if is_position_phrase(query):
        return segment_phrase(view, segment, query.fieldname, list(query.words))
    if isinstance(query, whoosh_query.Not):
        return segment_all(view, segment) - segment_docs(view, segment, query.query)
    if isinstance(query, whoosh_query.AndNot):
        return segment_docs(view, segment, query.a) - segment_docs(view, segment, query.b)
    if type(query) is whoosh_query.And:
        parts = sorted((segment_docs(view, segment, subquery) for subquery in query.subqueries), key=len)
        result = parts[0] if parts else EMPTY
        for part in parts[1:]:
            if not result:
                break
            result = result & part
        return result
    if type(query) is whoosh_query.Or:
        # A phrase alternative is matched on its own and kept: ranking asks
        # for its documents again (it scores only where it matches), so a
        # position check skipping the documents other branches matched
        # would be followed by the whole check anyway.
        return EMPTY.union(*(segment_query_docs(view, segment, subquery) for subquery in query.subqueries))
    # Whoosh's searcher of this segment leaves out the documents deleted so
    # far; later deletions are taken out by each version.
    offset = segment.offset
    return DocSet(docnum + offset for docnum in segment.searcher.docs_for_query(query))


def segment_all(view, segment) -> DocSet:
    return view.segment_value(
        segment, ("all",), lambda segment: DocSet(range(segment.offset, segment.offset + segment.count))
    )


def all_docs(view) -> DocSet:
    cached = view.term_docs.get(None)
    if cached is None:
        cached = view.term_docs[None] = view.live_union(segment_all(view, segment) for segment in view.segments)
    return cached


def segment_term(view, segment, fieldname: str, text) -> DocSet:
    """Documents of one segment holding a term, deleted ones included."""

    def build(segment):
        schema = view.searcher.schema
        if fieldname not in schema:
            return EMPTY
        field = schema[fieldname]
        btext = field.to_bytes(text)
        if (fieldname, btext) not in segment.leaf:
            return EMPTY
        if field.scorable:
            # Ranked words: one read of the blocks serves the scores too.
            return DocSet(segment_postings(view, segment, fieldname, btext)[0])
        return DocSet(segment_ids(segment, fieldname, btext))

    return view.segment_value(segment, ("term", fieldname, text), build, bitmap_bytes)


def segment_ids(segment, fieldname: str, btext: bytes) -> array:
    """The documents of one term's postings in one segment, numbered in the
    whole index, deleted ones included."""
    found = array("I")
    offset = segment.offset
    for docids in posting_ids(segment.leaf.postings(fieldname, btext)):
        found.extend(map(offset.__add__, docids) if offset else docids)
    return found


def segment_postings(view, segment, fieldname: str, btext: bytes) -> tuple[array, array]:
    """(documents, weights) of one term in one segment, deleted documents
    included, kept while the segment is in the index. Arrays, not lists: a
    fifth of the memory, and nothing for the garbage collector to walk."""

    def build(segment):
        docnums = array("I")
        # Doubles: any weight Whoosh gives (32-bit floats in its blocks) exactly.
        weights = array("d")
        if (fieldname, btext) in segment.leaf:
            offset = segment.offset
            for docids, block_weights in posting_weights(segment.leaf.postings(fieldname, btext)):
                docnums.extend(map(offset.__add__, docids) if offset else docids)
                weights.extend(array("d", block_weights))
        return docnums, weights

    return view.segment_value(segment, ("postings", fieldname, btext), build, lambda postings: 12 * len(postings[0]))


def term_docs(view, fieldname: str, text) -> DocSet:
    key = (fieldname, text)
    cached = view.term_docs.get(key)
    if cached is None:
        if len(view.term_docs) > QUERY_CACHE_SIZE * 4:
            view.term_docs.clear()
        cached = view.term_docs[key] = view.live_union(
            segment_term(view, segment, fieldname, text) for segment in view.segments
        )
    return cached


def matching_docs(view, query) -> DocSet:
    """``docs_of`` for a part of a query (an OR's phrase alternative, its
    NOT part), cached per index version: ranking asks for it on every page."""
    key = ("part", repr(query))
    cached = view.term_docs.get(key)
    if cached is None:
        if len(view.term_docs) > QUERY_CACHE_SIZE * 4:
            view.term_docs.clear()
        cached = view.term_docs[key] = docs_of(view, query)
    return cached


def segment_phrase(view, segment, fieldname: str, words: list[str]) -> DocSet:
    """Documents of one segment with the words in a row."""
    candidates = DocSet.intersection(*(segment_term(view, segment, fieldname, word) for word in words))
    if len(words) == 1 or not candidates:
        return candidates
    field = view.searcher.schema[fieldname]
    offset = segment.offset
    if not field.format.supports("positions"):
        found = segment.searcher.docs_for_query(whoosh_query.Phrase(fieldname, words))
        return DocSet(docnum + offset for docnum in found)
    positions: list[dict[int, bytes]] = []
    leaf = segment.leaf
    # A bitmap iterates in order: the ids come sorted.
    wanted = [docnum - offset for docnum in candidates]
    for word in words:
        values: dict[int, bytes] = {}
        for docids, encoded in posting_values(leaf.postings(fieldname, field.to_bytes(word)), wanted):
            for docid, value in zip(docids, encoded, strict=True):
                if docid + offset in candidates:
                    values[docid + offset] = value
        positions.append(values)
    decode = position_decoder(field.format)
    found = []
    for docnum in candidates:
        starts = set(decode(positions[0][docnum]))
        for index in range(1, len(words)):
            # Where the index-th word stands, moved back by index: a start.
            starts = starts.intersection(map(index.__rsub__, decode(positions[index][docnum])))
            if not starts:
                break
        if starts:
            found.append(docnum)
    return DocSet(found)


def column_list(view, fieldname: str) -> array:
    """Every document's raw value in a numeric column, by document number
    (raw values sort as the dates do; a segment written without the column
    gives 0). Eight bytes a document: a million make 8 MB, not the 40 of a
    list of ints."""
    cached = view.columns.get(fieldname)
    if cached is None:
        cached = array("q")
        for segment in view.segments:
            cached.extend(segment_column(view, segment, fieldname))
        view.columns[fieldname] = cached
    return cached


def segment_column(view, segment, fieldname: str) -> array:
    """One segment's raw column values, by segment-local document number."""
    return view.segment_value(
        segment,
        ("column", fieldname),
        lambda segment: array("q", [value or 0 for value in column_values(segment.leaf, fieldname)]),
    )


def _date_key(dates: array, printed: array, newest_first: bool):
    # Newest first reverses the days, not the printed order within a day.
    if newest_first:
        return lambda docnum: (-dates[docnum], printed[docnum], docnum)
    return lambda docnum: (dates[docnum], printed[docnum], docnum)


def segment_date_order(view, segment, fieldname: str, printed_field: str, newest_first: bool) -> array:
    """One segment's documents (deleted ones included) in date order."""

    def build(segment):
        local = _date_key(
            segment_column(view, segment, fieldname), segment_column(view, segment, printed_field), newest_first
        )
        offset = segment.offset
        return array("I", [docnum + offset for docnum in sorted(range(segment.count), key=local)])

    return view.segment_value(segment, ("date order", fieldname, printed_field, newest_first), build)


def date_page(
    view, fieldname: str, printed_field: str, matched: DocSet, newest_first: bool, start: int, end: int
) -> list[tuple]:
    """(document, 0.0) of ``matched[start:end]`` in date order.

    Within one day documents are in printed order (``printed_field``: the
    position in the issue, then the id): newest first reverses the days,
    not the front page and the last page."""
    key = _date_key(column_list(view, fieldname), column_list(view, printed_field), newest_first)
    if len(matched) * 8 < view.size:
        ranked = sorted(matched, key=key)
        return [(docnum, 0.0) for docnum in ranked[start:end]]
    orders = [segment_date_order(view, segment, fieldname, printed_field, newest_first) for segment in view.segments]
    page = []
    index = 0
    # Each segment's order is sorted by the same key: merged, the whole index's.
    for docnum in orders[0] if len(orders) == 1 else heapq.merge(*orders, key=key):
        if docnum in matched:
            if index >= start:
                page.append((docnum, 0.0))
                if len(page) >= end - start:
                    break
            index += 1
    return page
