"""haystack's Whoosh engine, changed only where its hooks cannot reach.

* Schema: text fields use their own analyzer and are neither stored nor
  sortable unless the index asks; facet and filter fields are exact terms;
  dates are sortable columns. A query word that the analyzer cuts into
  several words is a phrase, not an AND of the words.
* Reading: one searcher per backend, refreshed only when the index changed
  (haystack opens a new one per query); the documents a query or a filter
  matches, and each facet value's documents, are cached for that version of
  the index, so facet counts are set intersections; ``*`` matches everything.
* Writing: one writer per process that waits for Whoosh's lock instead of
  failing, and never swallows an error.
* The index directory may be a symlink to a generation directory, so that a
  rebuild builds beside it and swaps (see :mod:`archive.search.indexing`).
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import logging
import operator
import os
import pickle
import struct
import threading
import time
import zlib
from array import array
from collections import OrderedDict
from datetime import UTC, date, datetime
from itertools import accumulate, chain

from django.utils.encoding import force_str
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.fields import FacetField
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from whoosh import index as whoosh_index
from whoosh import query as whoosh_query
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3LeafMatcher, W3PostingsWriter, W3TermInfo
from whoosh.columns import NumericColumn
from whoosh.fields import BOOLEAN, DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Positions
from whoosh.index import LockError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.qparser import QueryParser
from whoosh.scoring import BM25F
from whoosh.system import pack_ushort
from whoosh.util.filelock import try_for
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

logger = logging.getLogger(__name__)

# Columns the site sorts on; other fields get no column.
SORTABLE_FIELDS = {"issue_date"}
# How long a writer waits for another process's write lock, unless the
# connection's WRITE_LOCK_TIMEOUT option says otherwise.
DEFAULT_WRITE_LOCK_TIMEOUT = 120.0
# Live commits write compound segments (one file each): a searcher opens a
# segment's column files lazily, and a merge deletes a non-compound segment's
# files under searchers still reading it.
# Small commits skip segment merging until there are this many segments.
MAX_UNMERGED_SEGMENTS = 8
SMALL_COMMIT = 50
# Distinct field values whose terms the bulk writer keeps.
EXACT_TERMS_CACHE_SIZE = 50_000
# Documents a query or filter matched, kept per index version.
QUERY_CACHE_SIZE = 128
# Facet counts use bit masks once the matched documents are at least this
# fraction (1/n) of the index, and facet values that common get a mask.
FACET_MASK_SHARE = 64
# Cached term scores (document, score pairs), kept per index version: about
# 100 bytes each, so at most ~50 MB in each process.
TERM_SCORE_CACHE_ENTRIES = 500_000
# A searcher opened while a writer deletes merged segments may miss a file;
# opening again sees the new table of contents.
OPEN_RETRIES = 8

_process_write_lock = threading.RLock()


def _scored_terms(query) -> list[tuple[str, str, float]] | None:
    """(field, term, boost) of every scored term when ``query`` is made only of
    terms and phrases joined by AND/OR (negated parts score nothing; a phrase
    scores as the sum of its words); otherwise None."""
    if isinstance(query, whoosh_query.Term):
        return [(query.fieldname, query.text, query.boost)]
    if isinstance(query, whoosh_query.Phrase):
        # Every allowed document contains the phrase; rank by its words.
        return [(query.fieldname, word, query.boost) for word in query.words]
    if isinstance(query, whoosh_query.Not):
        return []
    if isinstance(query, whoosh_query.AndNot):
        return _scored_terms(query.a)
    if type(query) in (whoosh_query.And, whoosh_query.Or):
        leaves = []
        for subquery in query.subqueries:
            found = _scored_terms(subquery)
            if found is None:
                return None
            leaves.extend((field, text, boost * query.boost) for field, text, boost in found)
        return leaves
    return None


def _bit_mask(docs, size: int) -> int:
    """Document numbers as the bits of one integer (bit n for document n)."""
    bits = bytearray((size + 7) // 8)
    for docnum in docs:
        bits[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(bits, "little")


def _rank_key(item):
    # Best score first; equal scores in document order, so pages are stable.
    return (-item[1], item[0])


def _leaf_matcher(matcher):
    while isinstance(matcher, FilterMatcher):
        # Deleted documents are never in the allowed set; read the postings.
        matcher = matcher.child
    return matcher


def _posting_values(matcher):
    """(ids, encoded values) per block of a posting list."""
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


def _block_ids(matcher) -> tuple:
    """The document ids of a posting list's current block (Whoosh decodes
    the stored differences with a generator in Python)."""
    if matcher._data is None:
        matcher._read_data()
    ids = matcher._data[0]
    return ids if matcher._byteids else tuple(accumulate(ids))


def _posting_ids(matcher):
    """The document ids of a posting list, a block at a time."""
    matcher = _leaf_matcher(matcher)
    if isinstance(matcher, W3LeafMatcher):
        while not matcher._atend:
            yield _block_ids(matcher)
            matcher._next_block()
        return
    yield list(matcher.all_ids())


def _posting_blocks(matcher):
    """(ids, weights) per block of a posting list, without per-posting calls."""
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


def _deleted_documents(leaf) -> frozenset:
    """Deleted document numbers of one segment."""
    return frozenset(leaf.segment().deleted_docs()) if leaf.has_deletions() else frozenset()


def _column_values(leaf, fieldname: str) -> list:
    """Every document's raw value in one segment's column; a numeric column
    (dates) is unpacked in one call instead of document by document."""
    column = leaf.column_reader(fieldname, translate=False)
    if type(column) is NumericColumn.Reader:
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        values = [value for (value,) in struct.iter_unpack("!" + column._typecode, raw)]
        # Documents after the last stored value have the default.
        return values + [column._default] * (column._doccount - column._count)
    return list(column)


def _segment_facet_docs(leaf, offset: int, fieldname: str, field) -> dict:
    """{value: documents} of an exact field in one segment, deleted ones
    included, numbered in the whole index (``offset`` on)."""
    by_value = {}
    if fieldname in leaf.indexed_field_names():
        for term in leaf.lexicon(fieldname):
            found: list[int] = []
            for docids in _posting_ids(leaf.postings(fieldname, term)):
                found.extend(map(offset.__add__, docids) if offset else docids)
            by_value[field.from_bytes(term)] = frozenset(found)
    return by_value


def _live_documents(reader, fieldname: str, btext: bytes) -> frozenset:
    """The documents of a term, read a block at a time from each segment
    (Whoosh's ``all_ids()`` yields them one by one through several layers of
    matchers: a facet value in most documents took about a second at 100,000
    articles); deleted documents left out."""
    found: list[int] = []
    deleted: list[int] = []
    for leaf, offset in reader.leaf_readers():
        if (fieldname, btext) not in leaf:
            continue
        for docids in _posting_ids(leaf.postings(fieldname, btext)):
            found.extend(map(offset.__add__, docids) if offset else docids)
        deleted.extend(offset + docnum for docnum in _deleted_documents(leaf))
    documents = frozenset(found)
    return documents.difference(deleted) if deleted else documents


class IndexBusyError(RuntimeError):
    """Another process held the index's write lock for too long."""


class ArchiveWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.write_lock_timeout = float(connection_options.get("WRITE_LOCK_TIMEOUT", DEFAULT_WRITE_LOCK_TIMEOUT))
        self.index_dir = None
        self._searcher = None
        self._searcher_key = None
        # {(segment id, what, offset): value} (see _segment_values): segments
        # never change, so these outlive the index version.
        self._segments: dict = {}
        self._forget_index_version()
        # Parsed queries depend only on the schema, not on the index version.
        self._parsed: dict = {}

    # Setup -----------------------------------------------------------------

    def setup(self):
        from haystack import connections

        if not self.use_file_storage:
            super().setup()
            return
        os.makedirs(self.path, exist_ok=True)
        if not os.access(self.path, os.W_OK):
            raise OSError(f"the search index directory {self.path} is not writable")
        # Open the generation directory itself, so a swap of the symlink is
        # noticed (see searcher()) instead of silently mixing versions.
        self.index_dir = os.path.realpath(self.path)
        self.storage = FileStorage(self.index_dir)
        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        self._parsed = {}
        self.index = self._open_index()
        self._drop_searcher()
        self.setup_complete = True

    def _open_index(self):
        for attempt in range(OPEN_RETRIES):
            try:
                return self.storage.open_index(schema=self.schema)
            except whoosh_index.EmptyIndexError:
                return self.storage.create_index(self.schema)
            except OSError:
                # Another process committed between listing the table of
                # contents and reading it; the newer one is there now.
                if attempt == OPEN_RETRIES - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    def build_schema(self, fields):
        content_field_name = ""
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
        for field_class in fields.values():
            name = field_class.index_fieldname
            stored = field_class.stored and not field_class.document
            if isinstance(field_class, FacetField) or (
                field_class.field_type in ("string", "integer") and field_class.faceted
            ):
                schema_fields[name] = (
                    KEYWORD(commas=True, stored=stored) if field_class.is_multivalued else WHOOSH_ID(stored=stored)
                )
            elif field_class.is_multivalued:
                schema_fields[name] = KEYWORD(commas=True, stored=stored, scorable=True)
            elif field_class.field_type in ("date", "datetime"):
                schema_fields[name] = DATETIME(stored=stored, sortable=name in SORTABLE_FIELDS)
            elif field_class.field_type in ("integer", "float"):
                schema_fields[name] = NUMERIC(
                    stored=stored, numtype=int if field_class.field_type == "integer" else float
                )
            elif field_class.field_type == "boolean":
                schema_fields[name] = BOOLEAN(stored=stored)
            elif field_class.analyzer is None and not field_class.document:
                schema_fields[name] = WHOOSH_ID(stored=stored)
            else:
                from archive.search.whoosh_analysis import analyzer_for

                # A query word cut into several words means those words in a row.
                schema_fields[name] = TEXT(
                    analyzer=analyzer_for(field_class.analyzer),
                    stored=stored,
                    field_boost=field_class.boost,
                    multitoken_query="phrase",
                )
            if field_class.document:
                content_field_name = name
        return content_field_name, Schema(**schema_fields)

    # Reading ---------------------------------------------------------------

    def _drop_searcher(self):
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
        self._searcher = None
        self._searcher_key = None
        self._forget_index_version()

    def _forget_index_version(self):
        """Empty what is cached for one version of the index."""
        self._query_docs = OrderedDict()
        self._facet_docs = {}
        self._facet_masks = {}
        self._date_order = {}
        self._lengths = {}
        self._term_docs = {}
        self._term_scores = OrderedDict()
        self._term_score_entries = 0

    def searcher(self):
        """The current searcher, refreshed when the index changed."""
        if not self.setup_complete or os.path.realpath(self.path) != self.index_dir:
            self.setup()
        for attempt in range(OPEN_RETRIES):
            try:
                if self._searcher is None:
                    self.index = self._open_index()
                    self._searcher = self.index.searcher()
                elif not self._searcher.up_to_date():
                    self._searcher = self._searcher.refresh()
                key = (self.index_dir, self._searcher.ixreader.generation())
                if key != self._searcher_key:
                    self._forget_index_version()
                    self._searcher_key = key
                return self._searcher
            except (OSError, whoosh_index.EmptyIndexError):
                # A merge removed files between reading the table of contents
                # and opening a segment; the next table of contents is whole.
                self._drop_searcher()
                if attempt == OPEN_RETRIES - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    def index_version(self) -> str:
        """Changes whenever the index does: a commit, or a rebuild's swap."""
        self.searcher()
        directory, generation = self._searcher_key
        return f"{os.path.basename(directory)}.{generation}"

    def parse(self, query_string: str):
        text = force_str(query_string).strip()
        if text in ("", "*", "*:*"):
            return whoosh_query.Every()
        parsed = self._parsed.get(text)
        if parsed is None:
            if len(self._parsed) > QUERY_CACHE_SIZE:
                self._parsed.clear()
            parsed = self._parsed[text] = self.parser.parse(text)
        return parsed

    def docs(self, searcher, query_string: str) -> frozenset:
        """Document numbers matching a query string, cached per index version."""
        cached = self._query_docs.get(query_string)
        if cached is not None:
            self._query_docs.move_to_end(query_string)
            return cached
        parsed = self.parse(query_string)
        docs = frozenset() if parsed is whoosh_query.NullQuery else self.docs_of(searcher, parsed)
        self._query_docs[query_string] = docs
        if len(self._query_docs) > QUERY_CACHE_SIZE:
            self._query_docs.popitem(last=False)
        return docs

    def docs_of(self, searcher, query) -> frozenset:
        """Documents matching a parsed query, evaluated as set operations on
        cached per-term document sets; phrases check positions only for the
        documents that have all their words. Other query types are left to
        Whoosh."""
        if isinstance(query, whoosh_query.Every):
            return self.all_docs(searcher)
        if isinstance(query, whoosh_query.Term):
            return self.term_docs(searcher, query.fieldname, query.text)
        if self._position_phrase(query):
            return self.phrase_docs(searcher, query.fieldname, list(query.words))
        if isinstance(query, whoosh_query.Not):
            return self.all_docs(searcher) - self.docs_of(searcher, query.query)
        if isinstance(query, whoosh_query.AndNot):
            return self.docs_of(searcher, query.a) - self.docs_of(searcher, query.b)
        if type(query) is whoosh_query.And:
            parts = sorted((self.docs_of(searcher, subquery) for subquery in query.subqueries), key=len)
            result = parts[0] if parts else frozenset()
            for part in parts[1:]:
                if not result:
                    break
                result = result & part
            return result
        if type(query) is whoosh_query.Or:
            # Phrases last: a document another branch already matched needs
            # no position check (a word's fallback pieces mostly co-occur
            # with the word itself).
            phrases = [subquery for subquery in query.subqueries if self._position_phrase(subquery)]
            others = [subquery for subquery in query.subqueries if not self._position_phrase(subquery)]
            result = frozenset().union(*(self.docs_of(searcher, subquery) for subquery in others))
            for phrase in phrases:
                result |= self.phrase_docs(searcher, phrase.fieldname, list(phrase.words), skip=result)
            return result
        return frozenset(searcher.docs_for_query(query))

    @staticmethod
    def _position_phrase(query) -> bool:
        return isinstance(query, whoosh_query.Phrase) and query.slop == 1 and bool(query.words)

    def all_docs(self, searcher) -> frozenset:
        cached = self._term_docs.get(None)
        if cached is None:
            live = []
            for leaf, offset in searcher.reader().leaf_readers():
                live.append(frozenset(range(offset, offset + leaf.doc_count_all())))
                if leaf.has_deletions():
                    live[-1] -= {docnum + offset for docnum in _deleted_documents(leaf)}
            cached = self._term_docs[None] = frozenset().union(*live)
        return cached

    def term_docs(self, searcher, fieldname: str, text) -> frozenset:
        key = (fieldname, text)
        cached = self._term_docs.get(key)
        if cached is None:
            if len(self._term_docs) > QUERY_CACHE_SIZE * 4:
                self._term_docs.clear()
            if fieldname in self.schema:
                cached = _live_documents(searcher.reader(), fieldname, self.schema[fieldname].to_bytes(text))
            else:
                cached = frozenset()
            self._term_docs[key] = cached
        return cached

    def phrase_docs(self, searcher, fieldname: str, words: list[str], skip: frozenset = frozenset()) -> frozenset:
        """Documents with the words in a row, leaving out ``skip``."""
        candidates = frozenset.intersection(*(self.term_docs(searcher, fieldname, word) for word in words)) - skip
        if len(words) == 1 or not candidates:
            return candidates
        field = self.schema[fieldname]
        if not field.format.supports("positions"):
            return frozenset(searcher.docs_for_query(whoosh_query.Phrase(fieldname, words)))
        reader = searcher.reader()
        positions: list[dict[int, bytes]] = []
        for word in words:
            btext = field.to_bytes(word)
            values: dict[int, bytes] = {}
            for leaf, offset in reader.leaf_readers():
                if (fieldname, btext) in leaf:
                    for docids, encoded in _posting_values(leaf.postings(fieldname, btext)):
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

    def _segment_values(self, searcher, name: tuple, build) -> list[tuple]:
        """(leaf reader, offset, ``build(leaf, offset)``) for each segment of
        the index. Segments never change, so each value is built once per
        segment and forgotten when a merge removes the segment."""
        found = []
        live = set()
        for leaf, offset in searcher.reader().leaf_readers():
            segment = leaf.segment()
            key = (segment.segment_id() if segment is not None else id(leaf), name, offset)
            live.add(key[0])
            value = self._segments.get(key)
            if value is None:
                value = self._segments[key] = build(leaf, offset)
            found.append((leaf, offset, value))
        for key in [key for key in self._segments if key[0] not in live]:
            del self._segments[key]
        return found

    def facet_docs(self, searcher, fieldname: str) -> dict:
        """{value: documents} of an exact field, cached per index version and
        built from per-segment sets: after a commit of a few documents only
        the new segment is read again."""
        cached = self._facet_docs.get(fieldname)
        if cached is None:
            field = self.schema[fieldname]
            parts: dict = {}
            build = functools.partial(_segment_facet_docs, fieldname=fieldname, field=field)
            segments = self._segment_values(searcher, ("facets", fieldname), build)
            for leaf, offset, by_value in segments:
                deleted = {docnum + offset for docnum in _deleted_documents(leaf)}
                for value, docs in by_value.items():
                    parts.setdefault(value, []).append(docs - deleted if deleted else docs)
            cached = {value: docs[0] if len(docs) == 1 else frozenset().union(*docs) for value, docs in parts.items()}
            cached = {value: docs for value, docs in cached.items() if docs}
            self._facet_docs[fieldname] = cached
        return cached

    def facet_masks(self, searcher, fieldname: str) -> list[tuple]:
        """(value, documents, bit mask or None) of an exact field, cached per
        index version; a value in at least 1/512 of the documents gets a mask
        (AND-ing masks beats probing a set from about a dozen documents on).
        """
        cached = self._facet_masks.get(fieldname)
        if cached is None:
            size = searcher.reader().doc_count_all()
            cached = [
                (value, docs, _bit_mask(docs, size) if len(docs) * 512 >= size else None)
                for value, docs in self.facet_docs(searcher, fieldname).items()
            ]
            self._facet_masks[fieldname] = cached
        return cached

    def facet_counts(self, searcher, fieldname: str, matched, matched_mask) -> list[tuple]:
        """(value, count) of the matched documents, most frequent first.
        ``matched_mask()`` gives the matched documents' bit mask."""
        if len(matched) * FACET_MASK_SHARE < searcher.reader().doc_count_all():
            # Few matches: each intersection iterates the matched documents.
            counts = [(value, len(docs & matched)) for value, docs in self.facet_docs(searcher, fieldname).items()]
        else:
            # Many: an AND of bit masks for a common value (one probe per
            # document otherwise), an intersection for a rare one.
            counts = [
                (value, (mask & matched_mask()).bit_count() if mask is not None else len(docs & matched))
                for value, docs, mask in self.facet_masks(searcher, fieldname)
            ]
        return sorted(((value, count) for value, count in counts if count), key=lambda item: (-item[1], str(item[0])))

    def date_order(self, searcher, fieldname: str, newest_first: bool = False) -> tuple[list[int], list[int]]:
        """All live documents by a sortable date column, oldest or newest day
        first, and each document number's rank in that order.

        Within one day documents keep the order they were indexed in, which is
        the order an issue's articles are printed and ingested in: newest
        first reverses the days, not the front page and the last page."""
        key = (fieldname, newest_first)
        cached = self._date_order.get(key)
        if cached is None:
            reader = searcher.reader()
            keys = []
            for leaf, offset in reader.leaf_readers():
                deleted = _deleted_documents(leaf)
                # Raw column values sort as the dates do, and a segment written
                # without the column yields a default that is not a valid date.
                for docnum, value in enumerate(_column_values(leaf, fieldname)):
                    if docnum not in deleted:
                        keys.append((value or 0, docnum + offset))
            keys.sort(key=(lambda item: (-item[0], item[1])) if newest_first else None)
            order = [docnum for _value, docnum in keys]
            rank = [0] * reader.doc_count_all()
            for index, docnum in enumerate(order):
                rank[docnum] = index
            cached = self._date_order[key] = (order, rank)
        return cached

    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        if date_facets or query_facets or within or dwithin or distance_point or highlight:
            # Features the archive does not use keep haystack's behaviour.
            return super().search(
                query_string,
                sort_by=sort_by,
                start_offset=start_offset,
                end_offset=end_offset,
                fields=fields,
                highlight=highlight,
                facets=facets,
                date_facets=date_facets,
                query_facets=query_facets,
                narrow_queries=narrow_queries,
                spelling_query=spelling_query,
                within=within,
                dwithin=dwithin,
                distance_point=distance_point,
                models=models,
                limit_to_registered_models=limit_to_registered_models,
                result_class=result_class,
                **kwargs,
            )
        searcher = self.searcher()
        query_string = force_str(query_string or "")
        narrow = set(narrow_queries or ())
        model_choices = (
            sorted(get_model_ct(model) for model in models)
            if models
            else (self.build_models_list() if limit_to_registered_models is not False else [])
        )
        indexed_types = set(self.facet_docs(searcher, DJANGO_CT))
        if model_choices and not indexed_types <= set(model_choices):
            narrow.add(" OR ".join(f"{DJANGO_CT}:{choice}" for choice in model_choices))

        matched = self.docs(searcher, query_string)
        for narrow_query in sorted(narrow):
            if not matched:
                break
            matched = matched & self.docs(searcher, narrow_query)

        facet_counts = {"fields": {}, "dates": {}, "queries": {}}
        matched_mask = functools.cache(lambda: _bit_mask(matched, searcher.reader().doc_count_all()))
        for fieldname in facets or ():
            facet_counts["fields"][fieldname] = self.facet_counts(searcher, fieldname, matched, matched_mask)

        start = start_offset or 0
        end = len(matched) if end_offset is None else min(end_offset, len(matched))
        page = self._ordered_page(searcher, query_string, matched, sort_by, start, end)
        results = []
        result_class = result_class or SearchResult
        for docnum, score in page:
            stored = searcher.stored_fields(docnum)
            app_label, model_name = stored[DJANGO_CT].split(".")
            results.append(result_class(app_label, model_name, stored[DJANGO_ID], score))
        return {"results": results, "hits": len(matched), "facets": facet_counts, "spelling_suggestion": None}

    def _ordered_page(self, searcher, query_string, matched, sort_by, start, end):
        if end <= start or not matched:
            return []
        parsed = self.parse(query_string)
        sort_field, reverse = None, False
        if sort_by:
            key = sort_by[0]
            reverse = key.startswith("-")
            sort_field = key.lstrip("-")
        elif isinstance(parsed, whoosh_query.Every):
            # Match-all has no relevance: newest first.
            sort_field, reverse = "issue_date", True
        if sort_field is None:
            leaves = _scored_terms(parsed)
            if leaves is not None and isinstance(searcher.weighting, BM25F):
                return self._bm25_page(searcher, leaves, matched, start, end)
            narrowed = matched is not self.docs(searcher, query_string)
            hits = searcher.search(parsed, limit=end, filter=set(matched) if narrowed else None)
            return [(hit.docnum, hit.score) for hit in hits[start:end]]
        if sort_field not in SORTABLE_FIELDS:
            raise ValueError(f"cannot sort on {sort_field!r}; sortable: {', '.join(sorted(SORTABLE_FIELDS))}")
        order, rank = self.date_order(searcher, sort_field, newest_first=reverse)
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

    def field_lengths(self, searcher, fieldname: str) -> list[int]:
        """Every document's length in ``fieldname``, by document number."""
        cached = self._lengths.get(fieldname)
        if cached is None:
            cached = []

            def lengths(leaf, _offset):
                return [leaf.doc_field_length(docnum, fieldname, 1) for docnum in range(leaf.doc_count_all())]

            for _leaf, _offset, segment_lengths in self._segment_values(searcher, ("lengths", fieldname), lengths):
                cached.extend(segment_lengths)
            self._lengths[fieldname] = cached
        return cached

    def term_scores(self, searcher, fieldname: str, text) -> dict[int, float]:
        """{document: BM25F score} of one term in one field (boost 1).

        Whoosh's collector scores document by document through several layers
        of matcher objects; for a word in most articles that is most of a
        query's time. The same scores (Whoosh's formula, statistics and
        parameters) are computed here block by block from the posting list,
        once per version of the index: a common word is in many queries."""
        key = (fieldname, text)
        cached = self._term_scores.get(key)
        if cached is not None:
            self._term_scores.move_to_end(key)
            return cached
        weighting = searcher.weighting
        reader = searcher.reader()
        field = self.schema[fieldname]
        btext = field.to_bytes(text)
        scores: dict[int, float] = {}
        if field.scorable and (fieldname, btext) in reader:
            b = weighting._field_B.get(fieldname, weighting.B)
            k1 = weighting.K1
            numerator = searcher.idf(fieldname, text) * (k1 + 1)
            constant, per_length = k1 * (1 - b), k1 * b / (searcher.avg_field_length(fieldname) or 1)
            lengths = self.field_lengths(searcher, fieldname)
            for leaf, offset in reader.leaf_readers():
                if (fieldname, btext) not in leaf:
                    continue
                for docids, weights in _posting_blocks(leaf.postings(fieldname, btext)):
                    for docid, weight in zip(docids, weights, strict=True):
                        docnum = docid + offset
                        scores[docnum] = numerator * weight / (weight + constant + per_length * lengths[docnum])
        self._term_scores[key] = scores
        self._term_score_entries += len(scores)
        while self._term_score_entries > TERM_SCORE_CACHE_ENTRIES and len(self._term_scores) > 1:
            _key, oldest = self._term_scores.popitem(last=False)
            self._term_score_entries -= len(oldest)
        return scores

    def _bm25_page(self, searcher, leaves, allowed, start, end):
        """Top documents by the sum of their terms' BM25F scores, for a query
        of terms joined by AND/OR, among the allowed documents only."""
        scores: dict[int, float] = {}
        for fieldname, text, boost in leaves:
            term = self.term_scores(searcher, fieldname, text)
            if not term:
                continue
            if not scores and boost == 1.0 and allowed.issuperset(term.keys()):
                scores = dict(term)
                continue
            get = scores.get
            for docnum, score in term.items():
                if docnum in allowed:
                    scores[docnum] = get(docnum, 0.0) + boost * score
        if len(scores) > end:
            # The end-th best score, found without a Python key per document;
            # only documents at least that good are sorted.
            cutoff = heapq.nlargest(end, scores.values())[-1]
            best = [item for item in scores.items() if item[1] >= cutoff]
        else:
            best = list(scores.items())
        best.sort(key=_rank_key)
        return best[start:end]

    # Writing ---------------------------------------------------------------

    @contextlib.contextmanager
    def writer(self, documents_hint: int = 0, timeout: float | None = None):
        """The process's one writer; waits for other processes' write lock
        (``timeout`` seconds, by default the connection's WRITE_LOCK_TIMEOUT).

        The generation directory is checked again once the lock is held, so a
        writer that waited through a rebuild writes into the new index.
        """
        with _process_write_lock:
            while True:
                if not self.setup_complete or os.path.realpath(self.path) != self.index_dir:
                    self.setup()
                ix = self._open_index()
                wait = self.write_lock_timeout if timeout is None else timeout
                try:
                    writer = ix.writer(timeout=wait, delay=0.05)
                except LockError as exc:
                    raise IndexBusyError(
                        f"the search index at {self.index_dir} stayed locked by another writer "
                        f"for {wait:.0f} s; the change was not written"
                    ) from exc
                if os.path.realpath(self.path) == self.index_dir:
                    break
                writer.cancel()
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            merge = documents_hint >= SMALL_COMMIT or len(ix._segments()) >= MAX_UNMERGED_SEGMENTS
            writer.commit(merge=merge)
            self.index = ix

    @contextlib.contextmanager
    def write_lock(self):
        """Hold the live index's write lock without writing (a rebuild holds
        it while it catches up and swaps, so no change lands in between)."""
        with _process_write_lock:
            if not self.setup_complete or os.path.realpath(self.path) != self.index_dir:
                self.setup()
            lock = self._open_index().lock("WRITELOCK")
            if not try_for(lock.acquire, timeout=self.write_lock_timeout, delay=0.05):
                raise IndexBusyError(
                    f"the search index at {self.index_dir} stayed locked by another writer "
                    f"for {self.write_lock_timeout:.0f} s"
                )
            try:
                yield
            finally:
                lock.release()

    def update(self, index, iterable, commit=True):
        iterable = list(iterable)
        if not iterable:
            return
        with self.writer(len(iterable)) as writer:
            self.write_documents(writer, index, iterable)

    def write_documents(self, writer, index, objects, *, add: bool = False):
        """Prepare ``objects`` and write them; ``add`` skips the delete of an
        earlier version (for an index known not to hold them)."""
        write = writer.add_document if add else writer.update_document
        for obj in objects:
            try:
                document = index.full_prepare(obj)
            except SkipDocument:
                continue
            document.pop("boost", None)
            for key, value in document.items():
                value = self._from_python(value)
                if isinstance(value, int | float) and isinstance(self.schema[key], WHOOSH_ID):
                    value = str(value)
                document[key] = value
            write(**document)

    def remove(self, obj_or_string, commit=True):
        self.remove_many([get_identifier(obj_or_string)])

    def remove_many(self, identifiers):
        identifiers = list(identifiers)
        if not identifiers:
            return
        with self.writer(len(identifiers)) as writer:
            for identifier in identifiers:
                writer.delete_by_term(ID, identifier)

    def clear(self, models=None, commit=True):
        if models:
            with self.writer(SMALL_COMMIT) as writer:
                for model in models:
                    writer.delete_by_term(DJANGO_CT, get_model_ct(model))
            return
        self.delete_index()

    def delete_index(self):
        from archive.search import indexing

        with _process_write_lock:
            self._drop_searcher()
            if not self.setup_complete:
                self.setup()
            if os.path.islink(self.path):
                # Swap in an empty generation rather than deleting under readers.
                directory = indexing.new_generation_dir(self.path)
                FileStorage(directory).create_index(self.schema)
                indexing.swap_in(directory, self.path)
                self.setup()
            else:
                super().delete_index()

    def _from_python(self, value):
        # Whoosh's DATETIME wants datetimes; haystack passes dates through.
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                # Whoosh compares naive datetimes; store UTC.
                value = value.astimezone(UTC).replace(tzinfo=None)
            return value
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        return super()._from_python(value)


def _analyses_positions(field) -> bool:
    """Whether the bulk writer can index ``field`` from its analyzer's word
    positions: a positions-format text field with one of the archive's
    analyzers (they have ``positions()``)."""
    return type(field.format) is Positions and hasattr(getattr(field, "analyzer", None), "positions")


def _first(item):
    return item[0]


def _posting_lists():
    """A term's postings as the bound ``append`` methods of its lists, so a
    posting costs three calls and no lookups; ``method.__self__`` is the list."""
    return array("I").append, array("d").append, [].append


class BulkSegmentWriter(SegmentWriter):
    """Writes one new segment of a fresh index (a rebuild) faster than
    Whoosh's own writer, with the same bytes on disk.

    Whoosh's writer pickles every posting into a sort pool, spills the pool
    to temporary files and merges them back, and then reads each posting's
    field length back from the length column it has just written; for a
    rebuild that was most of the time. Here postings are gathered in memory
    per term in document order, so only the terms are sorted, and the field
    lengths are kept as they are counted. Text fields analysed by the
    archive's analyzers skip Whoosh's token objects
    (:meth:`~archive.search.whoosh_analysis.ChineseAnalyzer.positions`). The
    per-document part (stored fields, lengths, columns) is Whoosh's.

    Documents are only added: the segment is new, so there is nothing for
    ``update_document`` to delete. ``postings`` counts what is held in
    memory, so a caller can finish the segment and start another one.
    """

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"field {name!r} has vectors or spelling; use Whoosh's own writer")
        self._text_fields = {name for name, field in self.schema.items() if _analyses_positions(field)}
        # fieldname -> {term: appends to its docnums, weights and encoded
        # values (see _posting_lists)}; the term is text in text fields
        # (encoded once, when written), bytes in others.
        self._terms: dict[str, dict] = {}
        # fieldname -> every document's length in that field (scorable fields)
        self._lengths: dict[str, array] = {}
        # Encodings of a single position, the most common positions list;
        # postings share these bytes objects.
        self._single_position: dict[int, bytes] = {}
        self._exact_terms: dict = {}
        self.postings = 0

    def update_document(self, **fields):
        self.add_document(**fields)

    def _indexed_terms(self, fieldname, field, value):
        """(term bytes, frequency, weight, encoded value) of ``value``, as
        Whoosh's ``field.index`` gives them. Values of exact and date fields
        repeat (an issue's date, a topic), so their terms are kept."""
        key = (fieldname, value)
        try:
            items = self._exact_terms.get(key)
        except TypeError:  # a list value
            return tuple(field.index(value))
        if items is None:
            if len(self._exact_terms) > EXACT_TERMS_CACHE_SIZE:
                self._exact_terms.clear()
            items = self._exact_terms[key] = tuple(field.index(value))
        return items

    def add_document(self, **fields):
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                terms = self._terms.get(fieldname)
                if terms is None:
                    terms = self._terms[fieldname] = {}
                if fieldname in self._text_fields:
                    if isinstance(value, str):
                        length = self._add_positions(terms, docnum, field, value, fieldboost)
                    else:
                        items = [
                            (term.decode("utf-8"), frequency, weight, encoded)
                            for term, frequency, weight, encoded in field.index(value)
                        ]
                        length = self._add_terms(terms, docnum, items, fieldboost)
                else:
                    length = self._add_terms(terms, docnum, self._indexed_terms(fieldname, field, value), fieldboost)
                if field.scorable:
                    lengths = self._lengths.get(fieldname)
                    if lengths is None:
                        lengths = self._lengths[fieldname] = array("I")
                    if len(lengths) < docnum:
                        # Documents without this field have length 0.
                        lengths.extend([0] * (docnum - len(lengths)))
                    lengths.append(length)
                else:
                    length = 0
            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_positions(self, terms, docnum, field, value, fieldboost) -> int:
        """Postings of a text field from its words' positions, as Whoosh's
        positions format makes them; returns the field length."""
        format_ = field.format
        # Whoosh sums a boost of 1.0 per token, then applies the field's.
        boost = format_.field_boost
        encode = format_.encode
        single = self._single_position
        get = terms.get
        length = 0
        positions_by_word = field.analyzer.positions(value)
        for word, positions in positions_by_word.items():
            count = len(positions)
            if count == 1:
                encoded = single.get(positions[0])
                if encoded is None:
                    encoded = single[positions[0]] = encode(positions)
            else:
                encoded = encode(positions)
            length += count
            appends = get(word)
            if appends is None:
                appends = terms[word] = _posting_lists()
            add_docnum, add_weight, add_value = appends
            add_docnum(docnum)
            add_weight(float(count) * boost * fieldboost)
            add_value(encoded)
        self.postings += len(positions_by_word)
        return length

    def _add_terms(self, terms, docnum, items, fieldboost) -> int:
        length = 0
        for term, frequency, weight, encoded in items:
            length += frequency
            appends = terms.get(term)
            if appends is None:
                appends = terms[term] = _posting_lists()
            add_docnum, add_weight, add_value = appends
            add_docnum(docnum)
            add_weight(weight * fieldboost)
            add_value(encoded)
        self.postings += len(items)
        return length

    def _flush_segment(self):
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        for fieldname in sorted(self._terms):
            terms = self._terms[fieldname]
            if not terms:
                continue
            field = self.schema[fieldname]
            lengths = self._lengths.get(fieldname) if field.scorable else None
            if fieldname in self._text_fields:
                ordered = [(word.encode("utf-8"), appends) for word, appends in terms.items()]
            else:
                ordered = list(terms.items())
            ordered.sort(key=_first)
            fieldwriter.start_field(fieldname, field)
            exact = type(fieldwriter) is W3FieldWriter and type(fieldwriter._postwriter) is W3PostingsWriter
            for btext, appends in ordered:
                if exact:
                    self._write_term(fieldwriter, btext, appends, lengths)
                else:
                    fieldwriter.start_term(btext)
                    self._write_postings(fieldwriter, appends, lengths)
                    fieldwriter.finish_term()
            fieldwriter.finish_field()
            # Free the field's postings as soon as they are written.
            self._terms[fieldname] = {}
            del ordered
        fieldwriter.close()

    @staticmethod
    def _write_postings(fieldwriter, appends, lengths) -> None:
        """One term's postings through the field writer's add()."""
        docnums, weights, values = (append.__self__ for append in appends)
        for docnum, weight, encoded in zip(docnums, weights, values, strict=True):
            fieldwriter.add(docnum, weight, encoded, lengths[docnum] if lengths is not None else 0)

    @staticmethod
    def _write_term(fieldwriter, btext, appends, lengths) -> None:
        """One term's posting blocks and term info, byte for byte what
        W3FieldWriter's start_term/add/finish_term write, a block at a time
        instead of a posting at a time."""
        docnums, weights, values = (append.__self__ for append in appends)
        postwriter = fieldwriter._postwriter
        postfile = fieldwriter._postfile
        limit = postwriter._blocklimit
        compression = postwriter._compression
        fixed_size = fieldwriter._format.fixed_value_size()
        terminfo = W3TermInfo()
        start_offset = postfile.tell()
        count = len(docnums)
        postfile.write(WHOOSH3_HEADER_MAGIC)
        for first in range(0, count, limit):
            last = min(first + limit, count)
            block_ids = docnums[first:last]
            block_weights = weights[first:last]
            # The block statistics add_posting() gathers (the maximum weight
            # before rounding to the block's 32-bit floats).
            max_weight = max(0, max(block_weights))
            if lengths is not None:
                block_lengths = [lengths[docnum] for docnum in block_ids]
                nonzero = [length for length in block_lengths if length]
                min_length = min(nonzero) if nonzero else None
                max_length = max(block_lengths)
            else:
                min_length, max_length = None, 0
            postwriter._ids = block_ids
            postwriter._weights = stored_weights = array("f", block_weights)
            postwriter._maxweight = max_weight
            postwriter._minlength = min_length
            postwriter._maxlength = max_length
            terminfo.add_block(postwriter)
            # W3PostingsWriter._write_block's minified lists and pickles.
            ids = tuple(map(operator.sub, block_ids, chain((0,), block_ids[:-1])))
            if all(weight == 1.0 for weight in stored_weights):
                mini_weights = None
            elif all(weight == stored_weights[0] for weight in stored_weights):
                mini_weights = stored_weights[0]
            else:
                mini_weights = tuple(stored_weights)
            block_values = [encoded for encoded in values[first:last] if encoded]
            if fixed_size is None or fixed_size < 0:
                mini_values = tuple(block_values)
            elif fixed_size == 0:
                mini_values = None
            else:
                mini_values = b"".join(block_values)
            data = pickle.dumps((ids, mini_weights, mini_values), 2)
            if compression:
                data = zlib.compress(data, compression)
            info = pickle.dumps(
                (
                    len(block_ids),
                    block_ids[-1],
                    max_weight,
                    compression,
                    length_to_byte(min_length),
                    length_to_byte(max_length),
                ),
                2,
            )
            size = len(info) + len(data)
            # The last block's length is written negative.
            postfile.write_int(-size if last == count else size)
            postfile.write(info)
            postfile.write(data)
        terminfo.set_extent(start_offset, postfile.tell() - start_offset)
        fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + btext, terminfo.to_bytes())


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
    query = WhooshSearchQuery
