"""haystack's Elasticsearch 7 engine, pointed at OpenSearch or Elasticsearch 7.

The archive cuts Chinese text itself (:mod:`archive.search.analysis`), so the
server needs no plugin: text fields are mapped with the ``whitespace``
analyzer and receive pre-cut words (:func:`~archive.search.analysis.precut_text`),
and the query class cuts query words the same way before haystack quotes
them. What this subclass changes, and why:

* Mapping: text fields analysed by the archive are whitespace-split with a
  position gap between values; facet, filter and keyword fields are exact
  ``keyword`` terms; the pre-cut text is not kept in ``_source``. A field's
  boost (the headline's) is applied at query time.
* The index is reached through an alias. A rebuild fills a new index and
  swaps the alias (:func:`archive.search.indexing.rebuild`); a read never
  creates anything, a write creates the first index when there is none.
* Every write ends with a refresh and then a write of one small version
  document, so :meth:`index_version` (the page cache's key) changes only
  once the change is searchable.
* Facets count every value (haystack asks for the server's default ten);
  a day's articles sort in printed order and equal scores by article id,
  so pages never overlap.

The client is elasticsearch-py 7.13: later 7.x releases refuse to talk to a
server that is not Elasticsearch.
"""

from __future__ import annotations

import datetime
import logging
import secrets

import elasticsearch
from django.utils import timezone
from elasticsearch import helpers
from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.inputs import Exact

from archive.search.analysis import CHINESE_WORDS, precut_text, query_words

logger = logging.getLogger(__name__)

# The document whose version counts the index's changes; it has no
# django_ct, so no search of articles ever finds it.
VERSION_DOCUMENT = "archive.index-version"
# Positions between the values of one pre-cut field: more than a phrase can span.
POSITION_GAP = 100
# Buckets asked for per facet: every value of the archive's facets, not the
# server's default ten (a response that still leaves some out is logged).
FACET_SIZE = 10_000
BULK_CHUNK = 500
# Seconds one bulk request may take: a batch of articles is far more work
# for the server than a search (SEARCH_TIMEOUT), above all on a busy node.
BULK_TIMEOUT = 120
# Fields of the server's documents only, for sorting: where an article
# stands in its issue, and its id. Days sort newest or oldest first, a day's
# articles in printed order, as on Whoosh (its printed_order column).
ORDER_FIELDS = {"printed_position": {"type": "integer"}, "article_id": {"type": "long"}}
PRINTED_ORDER = [{"printed_position": {"order": "asc"}}, {"article_id": {"order": "asc"}}]

Unavailable = (elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout)


class OpenSearchBackend(Elasticsearch7SearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.shards = int(connection_options.get("SHARDS", 1))
        self.replicas = int(connection_options.get("REPLICAS", 0))
        self.mapping = None

    # Mapping -----------------------------------------------------------------

    def build_schema(self, fields):
        content_field_name, mapping = super().build_schema(fields)
        self.precut_fields = set()
        for field_class in fields.values():
            name = field_class.index_fieldname
            field_mapping = mapping[name]
            if field_class.analyzer == CHINESE_WORDS or (field_class.document and field_class.analyzer is None):
                mapping[name] = {"type": "text", "analyzer": "whitespace", "position_increment_gap": POSITION_GAP}
                self.precut_fields.add(name)
            elif field_mapping.get("type") == "text":
                # Names, topics, keywords: matched as whole values, as in Whoosh.
                mapping[name] = {"type": "keyword"}
            else:
                field_mapping.pop("boost", None)
        mapping.update(ORDER_FIELDS)
        return content_field_name, mapping

    def index_body(self) -> dict:
        """Settings and mapping of a new index of the archive."""
        return {
            "settings": {"index": {"number_of_shards": self.shards, "number_of_replicas": self.replicas}},
            "mappings": {
                "dynamic": False,
                "_source": {"excludes": sorted(self.precut_fields)},
                "properties": self.mapping,
            },
        }

    def setup(self):
        """Build the mapping; talks to no server (a read must not create an index)."""
        from haystack import connections

        unified_index = connections[self.connection_alias].get_unified_index()
        self.content_field_name, self.mapping = self.build_schema(unified_index.all_searchfields())
        self.setup_complete = True

    # The index behind the alias ------------------------------------------------

    def live_indices(self) -> list[str]:
        """The concrete indices the alias points at (one, normally)."""
        try:
            return sorted(self.conn.indices.get_alias(name=self.index_name))
        except elasticsearch.NotFoundError:
            if self.conn.indices.exists(index=self.index_name):
                # An index created under the alias's name (by another tool).
                return [self.index_name]
            return []

    def new_index(self) -> str:
        """Create an empty index of the archive's mapping, not yet searched."""
        if not self.setup_complete:
            self.setup()
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S-%f")
        name = f"{self.index_name}-{stamp}"
        self.conn.indices.create(index=name, body=self.index_body())
        return name

    def swap_alias(self, name: str) -> list[str]:
        """Point the alias at index ``name`` in one step; returns the indices
        it pointed at before (the caller deletes them)."""
        old = [index for index in self.live_indices() if index != name]
        actions = [{"remove": {"index": index, "alias": self.index_name}} for index in old]
        actions.append({"add": {"index": name, "alias": self.index_name}})
        self.conn.indices.update_aliases(body={"actions": actions})
        return old

    def ensure_index(self) -> None:
        """The first write of a new archive creates the index and its alias."""
        if not self.setup_complete:
            self.setup()
        if not self.live_indices():
            self.swap_alias(self.new_index())
            self._bump_version()

    def delete_indices(self, names) -> None:
        for name in names:
            self.conn.indices.delete(index=name, ignore=404)

    # Writing ---------------------------------------------------------------------

    def _prepare_object(self, index, obj):
        document = super()._prepare_object(index, obj)
        document["printed_position"], document["article_id"] = index.printed_place(obj)
        for name in self.precut_fields:
            value = document.get(name)
            if isinstance(value, str):
                document[name] = precut_text(value)
        return document

    def prepared(self, index, objects) -> list[dict]:
        """Bulk actions for ``objects`` (haystack's preparation, pre-cut text)."""
        actions = []
        for obj in objects:
            document = {key: self._from_python(value) for key, value in self._prepare_object(index, obj).items()}
            document["_id"] = document[ID]
            actions.append(document)
        return actions

    def update(self, index, iterable, commit=True, *, target: str | None = None):
        """Index ``iterable`` in bulk (into ``target``, an index a rebuild is
        filling, or else the live one); errors are raised, never logged away."""
        if target is None:
            self.ensure_index()
        elif not self.setup_complete:
            self.setup()
        actions = self.prepared(index, iterable)
        if actions:
            helpers.bulk(
                self.conn,
                actions,
                index=target or self.index_name,
                chunk_size=BULK_CHUNK,
                request_timeout=max(self.timeout, BULK_TIMEOUT),
            )
        if target is None:
            self.conn.indices.refresh(index=self.index_name)
            self._bump_version()

    def remove(self, obj_or_string, commit=True):
        from haystack.utils import get_identifier

        self.remove_many([get_identifier(obj_or_string)])

    def remove_many(self, identifiers, *, target: str | None = None):
        identifiers = list(identifiers)
        if not identifiers or (target is None and not self.live_indices()):
            return
        actions = [{"_op_type": "delete", "_id": identifier} for identifier in identifiers]
        # A document already gone is not an error.
        helpers.bulk(
            self.conn,
            actions,
            index=target or self.index_name,
            raise_on_error=False,
            chunk_size=BULK_CHUNK,
            request_timeout=max(self.timeout, BULK_TIMEOUT),
        )
        if target is None:
            self.conn.indices.refresh(index=self.index_name)
            self._bump_version()

    def clear(self, models=None, commit=True):
        if models:
            return super().clear(models, commit)
        # An empty index swapped in, as the Whoosh engine does: searches
        # never see a missing index, and the old one goes afterwards.
        name = self.new_index()
        self.delete_indices(self.swap_alias(name))
        self._bump_version()

    def _bump_version(self) -> None:
        self.conn.index(
            index=self.index_name,
            id=VERSION_DOCUMENT,
            body={"changed_at": timezone.now().isoformat(), "token": secrets.token_hex(8)},
        )

    # Reading -------------------------------------------------------------------------

    def index_version(self) -> str | None:
        """A name for the index's contents, new after every write and rebuild;
        None when the server cannot be reached."""
        try:
            found = self.conn.get(index=self.index_name, id=VERSION_DOCUMENT, _source=False)
            return f"{found['_index']}.{found['_version']}"
        except elasticsearch.NotFoundError:
            return "empty"
        except (elasticsearch.TransportError, *Unavailable):
            return None

    def status(self) -> dict:
        """The server's view of the archive's index, for /healthz."""
        health = self.conn.cluster.health(request_timeout=5)
        indices = self.live_indices()
        articles = 0
        if indices:
            query = {"query": {"term": {DJANGO_CT: "archive.article"}}}
            articles = self.conn.count(index=self.index_name, body=query, request_timeout=5).get("count", 0)
        return {"cluster": health.get("status"), "index": indices, "articles": articles}

    def stored_versions(self):
        """(article id, updated_at) of every indexed article, from the server."""
        if not self.live_indices():
            return
        query = {"query": {"term": {DJANGO_CT: "archive.article"}}, "_source": [DJANGO_ID, "updated_at"]}
        for hit in helpers.scan(self.conn, query=query, index=self.index_name, size=1000):
            source = hit.get("_source", {})
            yield int(source[DJANGO_ID]), source.get("updated_at")

    def search(self, query_string, **kwargs):
        from archive.search import SearchUnavailable

        try:
            return super().search(query_string, **kwargs)
        except elasticsearch.NotFoundError:
            # No index yet: nothing is found, as in an empty Whoosh index.
            return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        except Unavailable as exc:
            raise SearchUnavailable(f"the search server at {self.conn.transport.hosts} does not answer") from exc

    def build_search_kwargs(self, query_string, sort_by=None, **kwargs):
        search = super().build_search_kwargs(query_string, sort_by=sort_by, **kwargs)
        if sort_by:
            search["sort"] = [*search["sort"], *PRINTED_ORDER]
        elif query_string == "*:*":
            # Match-all has no relevance: newest day first, as on Whoosh.
            search["sort"] = [{"issue_date": {"order": "desc"}}, *PRINTED_ORDER]
        else:
            # Equal scores by article id, so pages never overlap.
            search["sort"] = [{"_score": {"order": "desc"}}, {"article_id": {"order": "asc"}}]
        for aggregation in search.get("aggs", {}).values():
            if "terms" in aggregation:
                aggregation["terms"].setdefault("size", FACET_SIZE)
        return search

    def _process_results(self, raw_results, *args, **kwargs):
        for name, aggregation in raw_results.get("aggregations", {}).items():
            if aggregation.get("sum_other_doc_count"):
                logger.warning("facet %s counts only the first %d values", name, FACET_SIZE)
        return super()._process_results(raw_results, *args, **kwargs)

    def _from_python(self, value):
        # A date filter reads as a plain date (the server parses it as one).
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value.isoformat()
        return super()._from_python(value)


def _escape_phrase(word: str) -> str:
    return word.replace("\\", "\\\\").replace('"', '\\"')


class OpenSearchQuery(Elasticsearch7SearchQuery):
    """haystack's query strings, with the archive's cut of Chinese words."""

    RANGES = {"gt": "{%s TO *}", "gte": "[%s TO *]", "lt": "{* TO %s}", "lte": "[* TO %s]"}

    def build_query_fragment(self, field, filter_type, value):
        from haystack import connections

        unified = connections[self._using].get_unified_index()
        fieldname = unified.document_field if field == "content" else unified.get_index_fieldname(field)
        backend = self.backend
        if not backend.setup_complete:
            backend.setup()
        if filter_type in self.RANGES and isinstance(value, datetime.date):
            # Unquoted: a quoted bound is a phrase to some servers, not a date.
            bound = backend._from_python(value).replace(":", "\\:")
            return f"{fieldname}:{self.RANGES[filter_type] % bound}"
        if fieldname in backend.precut_fields and isinstance(value, Exact):
            words = query_words(value.query_string)
            value = Exact(" ".join(_escape_phrase(word) for word in words))
        fragment = super().build_query_fragment(field, filter_type, value)
        boost = unified.fields[fieldname].boost if fieldname in unified.fields else 1.0
        if boost != 1.0 and field != "content":
            fragment = f"{fragment}^{boost:g}"
        return fragment


class OpenSearchEngine(Elasticsearch7SearchEngine):
    backend = OpenSearchBackend
    query = OpenSearchQuery
