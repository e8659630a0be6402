"""BM25F relevance: the top of a ranking without Whoosh's collector.

Whoosh's collector scores document by document through several layers of
matcher objects; for a word in most articles that was most of a query's
time. Here the same scores are computed term by term, a whole posting list
at once (numpy arrays), and summed.

Invariants:

* A term's scores are Whoosh's: its BM25F formula, with the searcher's own
  statistics (idf, average field length) and parameters (B per field, K1);
  a document's field length is the byte-rounded length Whoosh stores. The
  arithmetic is Whoosh's, operation for operation, in doubles: the same
  scores to the last bit.
* A query of terms and phrases joined by AND/OR scores as the boosted sum
  of its matching parts' scores, as Whoosh's matchers add them (in the
  query's order): a phrase as the sum of its words' where the phrase
  matches (a document holding the words elsewhere gets nothing from an
  OR's phrase), a NOT part as its boost (Whoosh's inverse matcher scores
  1.0). Any other query returns None from :func:`scored_terms` and is
  ranked by Whoosh's searcher.
* Ties rank in document order, so pages are stable.
* Term scores are cached per index version as two arrays (documents and
  scores, 12 bytes a pair), up to ``TERM_SCORE_CACHE_ENTRIES`` pairs in
  all: the two fields of a word in most of a million articles fit; a term's
  postings (documents and weights) per segment, in the
  :class:`~.reader.SegmentCache`, so after a small commit only the new
  segment's postings are read.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as whoosh_query

from archive.search.whoosh_engine import evaluation
from archive.search.whoosh_engine.reader import DocSet

# 12 bytes each, so at most ~50 MB in each process.
TERM_SCORE_CACHE_ENTRIES = 4_000_000


def scored_terms(query, *, alternative: bool = False) -> list[tuple] | None:
    """(field, term, boost, within) of every scored part of ``query``, or
    None when the query is not made only of terms, phrases and NOT parts
    joined by AND/OR. ``within`` is the phrase (or NOT part) a leaf belongs
    to when that is one alternative of an OR: it scores only where that
    part matches; else None. A NOT part is a leaf with no field and no term:
    a constant."""
    if isinstance(query, whoosh_query.Term):
        return [(query.fieldname, query.text, query.boost, None)]
    if isinstance(query, whoosh_query.Phrase):
        # Whoosh scores a phrase match as the sum of its words' scores.
        within = query if alternative else None
        return [(query.fieldname, word, query.boost, within) for word in query.words]
    if isinstance(query, whoosh_query.Not):
        # Whoosh gives every document a NOT part matches the part's boost.
        return [(None, None, query.boost, query if alternative else None)]
    if isinstance(query, whoosh_query.AndNot):
        return scored_terms(query.a, alternative=alternative)
    if type(query) in (whoosh_query.And, whoosh_query.Or):
        leaves = []
        inner = alternative or type(query) is whoosh_query.Or
        for subquery in query.subqueries:
            found = scored_terms(subquery, alternative=inner)
            if found is None:
                return None
            leaves.extend((field, text, boost * query.boost, within) for field, text, boost, within in found)
        return leaves
    return None


def field_lengths(view, fieldname: str) -> np.ndarray:
    """Every document's length in ``fieldname``, by document number, built
    from per-segment arrays (see :class:`~.reader.SegmentCache`)."""
    cached = view.lengths.get(fieldname)
    if cached is None:

        def lengths(segment):
            leaf = segment.leaf
            # Whoosh gives None for a document without the field (it is in
            # none of the field's postings, so its length is never read).
            return np.fromiter(
                (leaf.doc_field_length(docnum, fieldname, 1) or 0 for docnum in range(segment.count)),
                dtype=np.int32,
                count=segment.count,
            )

        parts = [view.segment_value(segment, ("lengths", fieldname), lengths) for segment in view.segments]
        cached = view.lengths[fieldname] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return cached


def term_scores(view, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
    """(documents, BM25F scores) of one term in one field (boost 1), deleted
    documents included (callers keep only the documents a query matched).

    The postings come from each segment's cache; the scores are computed
    again for every version, whose statistics (the term's idf, the average
    field length) a commit changes."""
    key = (fieldname, text)
    cached = view.term_scores.get(key)
    if cached is not None:
        view.term_scores.move_to_end(key)
        return cached
    searcher = view.searcher
    weighting = searcher.weighting
    field = searcher.schema[fieldname]
    btext = field.to_bytes(text)
    documents, scores = np.zeros(0, dtype=np.uint32), np.zeros(0)
    if field.scorable and (fieldname, btext) in view.reader:
        b = weighting._field_B.get(fieldname, weighting.B)
        k1 = weighting.K1
        numerator = searcher.idf(fieldname, text) * (k1 + 1)
        constant, per_length = k1 * (1 - b), k1 * b / (searcher.avg_field_length(fieldname) or 1)
        postings = [evaluation.segment_postings(view, segment, fieldname, btext) for segment in view.segments]
        documents = np.concatenate([np.frombuffer(docnums, dtype=np.uint32) for docnums, _weights in postings])
        weights = np.concatenate([np.frombuffer(weights, dtype=np.float64) for _docnums, weights in postings])
        lengths = field_lengths(view, fieldname)[documents]
        # Whoosh's bm25(idf, tf, fl, avgfl, B, K1), in its order of operations.
        scores = numerator * weights / (weights + constant + per_length * lengths)
    view.term_scores[key] = cached = (documents, scores)
    view.term_score_entries += len(documents)
    while view.term_score_entries > TERM_SCORE_CACHE_ENTRIES and len(view.term_scores) > 1:
        _key, (oldest, _scores) = view.term_scores.popitem(last=False)
        view.term_score_entries -= len(oldest)
    return cached


def members(docs: DocSet, size: int) -> np.ndarray:
    """Whether each document of the index is in ``docs`` (one byte each)."""
    inside = np.zeros(size, dtype=bool)
    inside[np.frombuffer(docs.to_array(), dtype=np.uint32)] = True
    return inside


def top_documents(view, leaves, allowed: DocSet, start: int, end: int) -> list[tuple[int, float]]:
    """(document, score) ranked ``start:end`` by the sum of ``leaves``'
    scores, among the allowed documents only."""
    size = view.size
    allowed_inside = members(allowed, size)
    # Sums by document number, and which documents scored at all.
    totals = np.zeros(size)
    scored = np.zeros(size, dtype=bool)
    # What every allowed document gets (the NOT parts of an AND).
    constant = 0.0
    # The allowed documents where an OR's phrase or NOT part matches, once
    # per part (each word of a phrase is a leaf of its own).
    within_inside: dict[int, np.ndarray] = {}
    for fieldname, text, boost, within in leaves:
        inside = allowed_inside
        if within is not None:
            inside = within_inside.get(id(within))
            if inside is None:
                inside = within_inside[id(within)] = members(allowed & evaluation.matching_docs(view, within), size)
        if fieldname is None:
            if within is None:
                constant += boost
            else:
                totals[inside] += boost
                scored |= inside
            continue
        documents, scores = term_scores(view, fieldname, text)
        keep = inside[documents]
        documents = documents[keep]
        # A term's documents are distinct: each gets its score added once.
        totals[documents] += boost * scores[keep]
        scored[documents] = True
    if constant and np.count_nonzero(scored) < end:
        # Documents with nothing but the constant fill the page's end.
        scored |= allowed_inside
    candidates = np.flatnonzero(scored)
    values = totals[candidates]
    if len(candidates) > end:
        # Only documents at least as good as the end-th best are sorted.
        cutoff = np.partition(values, len(values) - end)[len(values) - end]
        best = values >= cutoff
        candidates, values = candidates[best], values[best]
    # Best score first; equal scores in document order.
    order = np.lexsort((candidates, -values))[start:end]
    page = zip(candidates[order].tolist(), values[order].tolist(), strict=True)
    return [(docnum, score + constant) for docnum, score in page]
