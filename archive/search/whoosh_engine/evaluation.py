"""Queries as sets of document numbers, and the date order.

A parsed Whoosh query made of terms, phrases, AND, OR, NOT and match-all is
evaluated as set operations on per-term document sets read a block at a
time (:mod:`.postings`); any other query type is left to Whoosh's searcher.

Invariants:

* Every set holds whole-index document numbers of *live* documents only:
  deletions are subtracted where a set is built.
* A set is cached in the :class:`~.reader.IndexView` of the version it was
  computed on, never carried to another version.
* The date order is Whoosh's sort on the column; within one day documents
  keep the order they were indexed in, newest first or not.
* A phrase (Whoosh's ``Phrase`` with slop 1) matches a document when its
  words stand at consecutive positions, exactly as Whoosh's phrase matcher
  decides; positions are checked only for documents holding every word.
"""

from __future__ import annotations

from whoosh import query as whoosh_query

from archive.search.whoosh_engine.postings import column_values, deleted_documents, posting_values, term_documents

# Documents a query or filter matched, kept per index version.
QUERY_CACHE_SIZE = 128


def query_docs(view, query_string: str, parsed) -> frozenset:
    """Documents matching a query string, cached per index version."""
    cached = view.query_docs.get(query_string)
    if cached is not None:
        view.query_docs.move_to_end(query_string)
        return cached
    docs = frozenset() if parsed is whoosh_query.NullQuery else docs_of(view, parsed)
    view.query_docs[query_string] = docs
    if len(view.query_docs) > QUERY_CACHE_SIZE:
        view.query_docs.popitem(last=False)
    return docs


def is_position_phrase(query) -> bool:
    return isinstance(query, whoosh_query.Phrase) and query.slop == 1 and bool(query.words)


def docs_of(view, query) -> frozenset:
    """Documents matching a parsed query."""
    if isinstance(query, whoosh_query.Every):
        return all_docs(view)
    if isinstance(query, whoosh_query.Term):
        return term_docs(view, query.fieldname, query.text)
    if is_position_phrase(query):
        return phrase_docs(view, query.fieldname, list(query.words))
    if isinstance(query, whoosh_query.Not):
        return all_docs(view) - docs_of(view, query.query)
    if isinstance(query, whoosh_query.AndNot):
        return docs_of(view, query.a) - docs_of(view, query.b)
    if type(query) is whoosh_query.And:
        parts = sorted((docs_of(view, subquery) for subquery in query.subqueries), key=len)
        result = parts[0] if parts else frozenset()
        for part in parts[1:]:
            if not result:
                break
            result = result & part
        return result
    if type(query) is whoosh_query.Or:
        # Phrases last: a document another branch already matched needs no
        # position check (a word's fallback pieces mostly co-occur with the
        # word itself).
        phrases = [subquery for subquery in query.subqueries if is_position_phrase(subquery)]
        others = [subquery for subquery in query.subqueries if not is_position_phrase(subquery)]
        result = frozenset().union(*(docs_of(view, subquery) for subquery in others))
        for phrase in phrases:
            result |= phrase_docs(view, phrase.fieldname, list(phrase.words), skip=result)
        return result
    return frozenset(view.searcher.docs_for_query(query))


def all_docs(view) -> frozenset:
    cached = view.term_docs.get(None)
    if cached is None:
        live = []
        for leaf, offset in view.reader.leaf_readers():
            docs = frozenset(range(offset, offset + leaf.doc_count_all()))
            if leaf.has_deletions():
                docs -= {docnum + offset for docnum in deleted_documents(leaf)}
            live.append(docs)
        cached = view.term_docs[None] = frozenset().union(*live)
    return cached


def term_docs(view, fieldname: str, text) -> frozenset:
    key = (fieldname, text)
    cached = view.term_docs.get(key)
    if cached is None:
        if len(view.term_docs) > QUERY_CACHE_SIZE * 4:
            view.term_docs.clear()
        schema = view.searcher.schema
        if fieldname in schema:
            cached = term_documents(view.reader, fieldname, schema[fieldname].to_bytes(text))
        else:
            cached = frozenset()
        view.term_docs[key] = cached
    return cached


def matching_docs(view, query) -> frozenset:
    """``docs_of`` for a part of a query (an OR's phrase alternative, its
    NOT part), cached per index version: ranking asks for it on every page."""
    key = ("part", repr(query))
    cached = view.term_docs.get(key)
    if cached is None:
        if len(view.term_docs) > QUERY_CACHE_SIZE * 4:
            view.term_docs.clear()
        cached = view.term_docs[key] = docs_of(view, query)
    return cached


def phrase_docs(view, fieldname: str, words: list[str], skip: frozenset = frozenset()) -> frozenset:
    """Documents with the words in a row, leaving out ``skip``."""
    candidates = frozenset.intersection(*(term_docs(view, fieldname, word) for word in words)) - skip
    if len(words) == 1 or not candidates:
        return candidates
    field = view.searcher.schema[fieldname]
    if not field.format.supports("positions"):
        return frozenset(view.searcher.docs_for_query(whoosh_query.Phrase(fieldname, words))) - skip
    positions: list[dict[int, bytes]] = []
    for word in words:
        btext = field.to_bytes(word)
        values: dict[int, bytes] = {}
        for leaf, offset in view.reader.leaf_readers():
            if (fieldname, btext) in leaf:
                for docids, encoded in posting_values(leaf.postings(fieldname, btext)):
                    for docid, value in zip(docids, encoded, strict=True):
                        if docid + offset in candidates:
                            values[docid + offset] = value
        positions.append(values)
    decode = field.format.decode_positions
    found = []
    for docnum in candidates:
        starts = set(decode(positions[0][docnum]))
        for index in range(1, len(words)):
            following = set(decode(positions[index][docnum]))
            starts = {position for position in starts if position + index in following}
            if not starts:
                break
        if starts:
            found.append(docnum)
    return frozenset(found)


def date_order(view, fieldname: str, newest_first: bool = False) -> tuple[list[int], list[int]]:
    """All live documents by a sortable date column, oldest or newest day
    first, and each document number's rank in that order.

    Within one day documents keep the order they were indexed in, which is
    the order an issue's articles are printed and ingested in: newest first
    reverses the days, not the front page and the last page."""
    key = (fieldname, newest_first)
    cached = view.date_order.get(key)
    if cached is None:
        keys = []
        for leaf, offset in view.reader.leaf_readers():
            deleted = deleted_documents(leaf)
            # Raw column values sort as the dates do, and a segment written
            # without the column yields a default that is not a valid date.
            for docnum, value in enumerate(column_values(leaf, fieldname)):
                if docnum not in deleted:
                    keys.append((value or 0, docnum + offset))
        keys.sort(key=(lambda item: (-item[0], item[1])) if newest_first else None)
        order = [docnum for _value, docnum in keys]
        rank = [0] * view.size
        for index, docnum in enumerate(order):
            rank[docnum] = index
        cached = view.date_order[key] = (order, rank)
    return cached


def date_page(view, fieldname: str, matched: frozenset, newest_first: bool, start: int, end: int) -> list[tuple]:
    """(document, 0.0) of ``matched[start:end]`` in date order."""
    order, rank = date_order(view, fieldname, newest_first)
    if len(matched) * 8 < len(order):
        ranked = sorted(matched, key=rank.__getitem__)
        return [(docnum, 0.0) for docnum in ranked[start:end]]
    page = []
    index = 0
    for docnum in order:
        if docnum in matched:
            if index >= start:
                page.append((docnum, 0.0))
                if len(page) >= end - start:
                    break
            index += 1
    return page
