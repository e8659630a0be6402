"""haystack's Whoosh backend, changed where its hooks cannot reach.

What it owns: the schema built from the search index's fields, the search
call (set evaluation, facet counts, the ranked or dated page), and the one
writer of each process. How a version of the index is read and cached is
:mod:`.reader`'s; queries as sets :mod:`.evaluation`'s; relevance
:mod:`.scoring`'s; facet counts :mod:`.facets`'s.

Invariants:

* Schema: text fields use their own analyzer and are neither stored nor
  sortable unless the index asks; facet and filter fields are exact terms;
  dates are sortable columns (``SORTABLE_FIELDS``). A query word that the
  analyzer cuts into several words is a phrase, not an AND of the words.
* Reading never writes: searching an index that was never built answers
  from an empty index and creates nothing on disk; only a writer creates it.
* ``search`` returns what haystack's own Whoosh backend would (hits, total,
  facet counts, order), as the differential tests check against Whoosh's
  searcher; features the archive does not use are left to haystack.
* Writing: one writer per process that waits for Whoosh's lock instead of
  failing (:class:`IndexBusyError` after the timeout), and never swallows an
  error.
* The index path may be a symlink to a generation directory
  (:mod:`.generations`); every read and write checks where it points.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from datetime import UTC, date, datetime

from django.utils.encoding import force_str
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.fields import FacetField
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from whoosh import index as whoosh_index
from whoosh import query as whoosh_query
from whoosh.columns import NumericColumn
from whoosh.fields import BOOLEAN, COLUMN, DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.qparser import QueryParser
from whoosh.scoring import BM25F
from whoosh.util.filelock import try_for
from whoosh.writing import MERGE_SMALL

from archive.search.whoosh_engine import evaluation, generations, scoring
from archive.search.whoosh_engine import facets as facets_module
from archive.search.whoosh_engine.reader import DocSet, IndexView, SegmentCache, open_file_index, open_view

# Columns the site sorts on; other fields get no column.
SORTABLE_FIELDS = {"issue_date"}
# A column of the engine's own, not a search field: where the article stands
# in its issue, then its id (position << 40 | id). A day's articles sort by
# it, so an article indexed again (which Whoosh appends) keeps its place, and
# the order is the database's and the search server's (position, then id).
PRINTED_ORDER_FIELD = "printed_order"
PRINTED_ORDER_ID_BITS = 40
# How long a writer waits for another process's write lock, unless the
# connection's WRITE_LOCK_TIMEOUT option says otherwise.
DEFAULT_WRITE_LOCK_TIMEOUT = 120.0
# Small commits skip segment merging until there are this many segments.
# (Live commits write compound segments, one file each: a searcher opens a
# segment's column files lazily, and a merge deletes a non-compound
# segment's files under searchers still reading it.)
MAX_UNMERGED_SEGMENTS = 8
SMALL_COMMIT = 50
# Parsed query strings kept (they depend only on the schema).
PARSED_CACHE_SIZE = 128
# Searches (query and filters) whose matched documents and facet
# counts each version keeps.
ANSWERS_KEPT = 64

_process_write_lock = threading.RLock()


def merge_small_in_order(writer, segments):
    """Whoosh's own merge of small segments, with the segments it keeps left
    in their order. Whoosh's policy returns them sorted by size, which moves
    a large segment behind a smaller one: every document number in it
    changes, and all it had in the readers' per-segment caches is read
    again. Kept in order, a merge moves only the documents it merges."""
    kept = {segment.segment_id() for segment in MERGE_SMALL(writer, segments)}
    return [segment for segment in segments if segment.segment_id() in kept]


class IndexBusyError(RuntimeError):
    """Another process held the index's write lock for too long."""


class ArchiveWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.write_lock_timeout = float(connection_options.get("WRITE_LOCK_TIMEOUT", DEFAULT_WRITE_LOCK_TIMEOUT))
        self.index_dir = None
        self._view: IndexView | None = None
        self.segment_cache = SegmentCache()
        self._parsed: dict = {}

    # Setup -----------------------------------------------------------------

    def setup(self):
        """The schema and parser, and which generation directory is live.
        Creates nothing (see :meth:`_writable_index`)."""
        from haystack import connections

        if not self.use_file_storage:
            super().setup()
            return
        # Open the generation directory itself, so a swap of the symlink is
        # noticed (see view()) instead of silently mixing versions.
        self.index_dir = os.path.realpath(self.path)
        self.storage = FileStorage(self.index_dir)
        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        self._parsed = {}
        self._drop_view()
        self.setup_complete = True

    def _check_setup(self):
        if not self.setup_complete or os.path.realpath(self.path) != self.index_dir:
            self.setup()

    def _writable_index(self):
        """The live index, created if it does not exist yet (writers only)."""
        os.makedirs(self.path, exist_ok=True)
        if not os.access(self.path, os.W_OK):
            raise OSError(f"the search index directory {self.path} is not writable")
        self._check_setup()
        try:
            return open_file_index(self.storage, self.schema)
        except whoosh_index.EmptyIndexError:
            return self.storage.create_index(self.schema)

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
        # Index segments written before the column have 0 in it.
        schema_fields[PRINTED_ORDER_FIELD] = COLUMN(NumericColumn("Q", default=0))
        return content_field_name, Schema(**schema_fields)

    # Reading ---------------------------------------------------------------

    def _drop_view(self):
        if self._view is not None:
            self._view.close()
        self._view = None

    def view(self) -> IndexView:
        """The current version of the index, opened again when it changed."""
        self._check_setup()
        self._view = open_view(self.index_dir, self.schema, self.segment_cache, self._view)
        return self._view

    def searcher(self):
        """Whoosh's searcher of the current version of the index."""
        return self.view().searcher

    def index_version(self) -> str:
        """Changes whenever the index does: a commit, or a rebuild's swap."""
        return self.view().version

    def parse(self, query_string: str):
        text = force_str(query_string).strip()
        if text in ("", "*", "*:*"):
            return whoosh_query.Every()
        parsed = self._parsed.get(text)
        if parsed is None:
            if len(self._parsed) > PARSED_CACHE_SIZE:
                self._parsed.clear()
            parsed = self._parsed[text] = self.parser.parse(text)
        return parsed

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
        view = self.view()
        query_string = force_str(query_string or "")
        narrow = set(narrow_queries or ())
        model_choices = (
            sorted(get_model_ct(model) for model in models)
            if models
            else (self.build_models_list() if limit_to_registered_models is not False else [])
        )
        # The types in the index, from the field's word list: building the
        # field's document sets (every document) only to name them cost a
        # million-entry set at a million articles, again after every commit.
        # Merging the segments' word lists is itself 2 ms there: once a version.
        indexed_types = view.indexed_types
        if indexed_types is None:
            indexed_types = view.indexed_types = (
                frozenset(view.reader.field_terms(DJANGO_CT))
                if DJANGO_CT in view.reader.indexed_field_names()
                else frozenset()
            )
        if model_choices and not indexed_types <= set(model_choices):
            narrow.add(" OR ".join(f"{DJANGO_CT}:{choice}" for choice in model_choices))

        everything = self._docs(view, query_string)
        key = (query_string, tuple(sorted(narrow)))
        answer = view.answers.get(key)
        if answer is None:
            matched = everything
            for narrow_query in sorted(narrow):
                if not matched:
                    break
                matched = matched & self._docs(view, narrow_query)
            # The matched documents and their facet counts, kept
            # for this version: a results page asks again for its next page.
            answer = view.answers[key] = {"matched": matched}
            if len(view.answers) > ANSWERS_KEPT:
                view.answers.popitem(last=False)
        else:
            view.answers.move_to_end(key)
        matched = answer["matched"]

        facet_counts = {"fields": {}, "dates": {}, "queries": {}}
        for fieldname in facets or ():
            counts = answer.get(("facet", fieldname))
            if counts is None:
                counts = answer[("facet", fieldname)] = facets_module.facet_counts(view, fieldname, matched)
            facet_counts["fields"][fieldname] = list(counts)

        start = start_offset or 0
        end = len(matched) if end_offset is None else min(end_offset, len(matched))
        page = self._ordered_page(view, query_string, matched, matched is not everything, sort_by, start, end)
        results = []
        result_class = result_class or SearchResult
        for docnum, score in page:
            stored = view.searcher.stored_fields(docnum)
            app_label, model_name = stored[DJANGO_CT].split(".")
            results.append(result_class(app_label, model_name, stored[DJANGO_ID], score))
        return {"results": results, "hits": len(matched), "facets": facet_counts, "spelling_suggestion": None}

    def _docs(self, view, query_string: str) -> DocSet:
        return evaluation.query_docs(view, query_string, self.parse(query_string))

    def _ordered_page(self, view, query_string, matched, narrowed, sort_by, start, end):
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
            leaves = scoring.scored_terms(parsed)
            if leaves is not None and isinstance(view.searcher.weighting, BM25F):
                return scoring.top_documents(view, leaves, matched, start, end)
            hits = view.searcher.search(parsed, limit=end, filter=set(matched) if narrowed else None)
            return [(hit.docnum, hit.score) for hit in hits[start:end]]
        if sort_field not in SORTABLE_FIELDS:
            raise ValueError(f"cannot sort on {sort_field!r}; sortable: {', '.join(sorted(SORTABLE_FIELDS))}")
        return evaluation.date_page(view, sort_field, PRINTED_ORDER_FIELD, matched, reverse, start, end)

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
                ix = self._writable_index()
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
            if documents_hint >= SMALL_COMMIT or len(ix._segments()) >= MAX_UNMERGED_SEGMENTS:
                writer.commit(mergetype=merge_small_in_order)
            else:
                writer.commit(merge=False)

    @contextlib.contextmanager
    def write_lock(self):
        """Hold the live index's write lock without writing (a rebuild holds
        it while it catches up and swaps, so no change lands in between)."""
        with _process_write_lock:
            lock = self._writable_index().lock("WRITELOCK")
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
            position, pk = index.printed_place(obj)
            document[PRINTED_ORDER_FIELD] = position << PRINTED_ORDER_ID_BITS | pk
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
        with _process_write_lock:
            self._drop_view()
            self._check_setup()
            if os.path.islink(self.path):
                # Swap in an empty generation rather than deleting under readers.
                directory = generations.new_generation_dir(self.path)
                FileStorage(directory).create_index(self.schema)
                generations.swap_in(directory, self.path)
                self.setup()
            elif self.use_file_storage and os.path.isdir(self.path):
                # Emptied in place, not removed: the directory may be a mount
                # point (the container's index volume), which cannot be removed.
                for entry in os.scandir(self.path):
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path)
                    else:
                        os.unlink(entry.path)
                self.setup()
                # Cleared is an empty index, not a missing one.
                self._writable_index()
            else:
                super().delete_index()
                self._writable_index()

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


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
    query = WhooshSearchQuery
