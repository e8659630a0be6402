"""Facet counts: how many of the matched documents have each value of an
exact field (topic, reporter, year, kind, section...).

Invariants:

* A facet value's documents are the live documents whose postings hold the
  value's term, as Whoosh's own ``docs_for_query(Term(...))`` gives them.
* Per segment, {value: documents} is read once and kept in the
  :class:`~.reader.SegmentCache` (deleted documents included); each index
  version unions the segments and takes out its deletions.
* A count is the size of an intersection of two bitmaps, computed without
  building the intersection.
* Counts come back most frequent first, equal counts by the value's text;
  values with no matched document are left out.
"""

from __future__ import annotations

from archive.search.whoosh_engine.evaluation import segment_ids
from archive.search.whoosh_engine.reader import DocSet


def _segment_facet_docs(view, segment, fieldname: str) -> dict:
    """{value: documents} of an exact field in one segment, deleted ones
    included, numbered in the whole index."""

    def build(segment):
        field = view.searcher.schema[fieldname]
        leaf = segment.leaf
        by_value = {}
        if fieldname in leaf.indexed_field_names():
            for term in leaf.lexicon(fieldname):
                by_value[field.from_bytes(term)] = DocSet(segment_ids(segment, fieldname, term))
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


def facet_counts(view, fieldname: str, matched: DocSet) -> list[tuple]:
    """(value, count) of the matched documents, most frequent first."""
    counts = [(value, docs.intersection_cardinality(matched)) for value, docs in facet_docs(view, fieldname).items()]
    return sorted(((value, count) for value, count in counts if count), key=lambda item: (-item[1], str(item[0])))
