"""The embedded engine against Whoosh's own searcher, on randomised indexes.

Hypothesis builds an index's history with Whoosh's own writer — commits of
new documents (a segment each), deletions, re-indexed documents, merges and
an optimize — and after every step runs queries of every kind through the
configured haystack backend, comparing each answer with what Whoosh's
searcher gives on the same index: the documents matched, the BM25F ranking
and its scores, facet counts (Whoosh's own grouping), phrase matches and the
date order. The words are drawn with a skewed frequency, so the common ones
have posting lists of several blocks (Whoosh writes 128 postings a block).

Profiles (``HYPOTHESIS_PROFILE``, registered in ``tests/conftest.py``):

* ``fast`` (the default, run by ``make test``): a few histories;
* ``nightly``: many more and longer histories, for a scheduled run:
  ``HYPOTHESIS_PROFILE=nightly .venv/bin/pytest -m differential``.

The rebuild's bulk writer is checked the same way: its segment against
the one Whoosh's own writer writes for the same articles.
"""

from __future__ import annotations

import datetime
import math
import random
import shutil
import tempfile
from collections import Counter

import pytest
from django.conf import settings
from haystack import connections
from hypothesis import given
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh import sorting
from whoosh.qparser import QueryParser
from whoosh.query import Every

pytestmark = pytest.mark.differential

# Two-character words jieba keeps whole, most frequent first.
WORDS = ["发展", "服务", "建设", "社会", "文化", "经济", "旅游", "教育", "养老", "救助", "企业", "创新"]
TOPICS = ["经济", "文化", "社会", "教育", "体育"]
REPORTERS = ["王芳", "李强", "张伟", "刘洋"]
KINDS = ["news", "commentary", "photo"]
FACETS = ["topic_exact", "reporter_exact", "kind_exact", "year_exact"]


def embedded_backend():
    backend = connections["default"].get_backend()
    if not hasattr(backend, "segment_cache"):
        pytest.skip("the archive's embedded Whoosh engine is not the configured engine")
    return backend


# Documents -----------------------------------------------------------------


def documents(rng, numbers) -> list[dict]:
    """Whoosh documents for article numbers ``numbers``, as the archive's
    search index writes them."""
    made = []
    # A word at rank r is drawn about 1/(r+1) as often as the first.
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]
    for number in numbers:
        body = rng.choices(WORDS, weights=weights, k=rng.randint(1, 24))
        if rng.random() < 0.3:
            body.insert(rng.randrange(len(body) + 1), f"x{rng.randrange(40)}")
        headline = rng.choices(WORDS, weights=weights, k=rng.randint(0, 3))
        topics = rng.sample(TOPICS, k=rng.randint(0, 2))
        reporters = rng.sample(REPORTERS, k=rng.randint(0, 2))
        day = datetime.datetime(2020, 1, 1) + datetime.timedelta(days=rng.randrange(60 * 30))
        document = {
            "id": f"archive.article.{number}",
            "django_ct": "archive.article",
            "django_id": str(number),
            "text": " ".join(body),
            "issue_date": day,
            "year_exact": str(day.year),
            "kind_exact": rng.choice(KINDS),
        }
        if headline:
            document["headline"] = " ".join(headline)
        if topics:
            document["topic_exact"] = ",".join(topics)
        if reporters:
            document["reporter_exact"] = ",".join(reporters)
        made.append(document)
    return made


@st.composite
def histories(draw, *, steps: int, documents_per_commit: int):
    """A list of (operation, argument) steps: "add" documents in a commit of
    their own, "delete" or "reindex" article numbers, "merge", "optimize".
    Hypothesis chooses the operations and the seed of the documents' text."""
    rng = random.Random(draw(st.integers(min_value=0, max_value=2**32)))
    history = []
    first = draw(st.integers(min_value=documents_per_commit // 2, max_value=documents_per_commit))
    history.append(("add", documents(rng, range(0, first))))
    next_number, live = first, list(range(first))
    operations = st.sampled_from(["add", "add", "delete", "reindex", "merge", "optimize"])
    for operation in draw(st.lists(operations, min_size=1, max_size=steps)):
        if operation == "add":
            count = rng.randint(1, documents_per_commit // 3)
            history.append(("add", documents(rng, range(next_number, next_number + count))))
            live.extend(range(next_number, next_number + count))
            next_number += count
        elif operation in ("delete", "reindex") and live:
            chosen = rng.sample(live, k=rng.randint(1, max(1, len(live) // 5)))
            if operation == "delete":
                history.append(("delete", chosen))
                live = [number for number in live if number not in chosen]
            else:
                history.append(("reindex", documents(rng, chosen)))
        elif operation in ("merge", "optimize"):
            history.append((operation, None))
    return history


def apply(path: str, operation: str, argument) -> None:
    """One commit of Whoosh's own writer."""
    writer = whoosh_index.open_dir(path).writer()
    if operation == "add":
        for document in argument:
            writer.add_document(**document)
        writer.commit(merge=False)
    elif operation == "delete":
        for number in argument:
            writer.delete_by_term("id", f"archive.article.{number}")
        writer.commit(merge=False)
    elif operation == "reindex":
        for document in argument:
            writer.update_document(**document)
        writer.commit(merge=False)
    elif operation == "merge":
        writer.commit(merge=True)
    else:
        writer.commit(optimize=True)


# Queries -------------------------------------------------------------------

word = st.sampled_from(WORDS)
queries = st.one_of(
    word,
    st.builds(lambda a, b: f"{a} {b}", word, word),
    st.builds(lambda a, b: f"{a} OR {b}", word, word),
    st.builds(lambda a, b: f"{a} NOT {b}", word, word),
    st.builds(lambda a, b: f'"{a} {b}"', word, word),
    st.builds(lambda a, b, c: f'"{a} {b} {c}"', word, word, word),
    st.builds(lambda a, b, c: f'({a} OR "{b} {c}") NOT x1', word, word, word),
    st.builds(lambda a: f"headline:{a} OR text:{a}^2", word),
    st.builds(lambda n: f"x{n}", st.integers(min_value=0, max_value=45)),
    st.just("*"),
)
narrowings = st.lists(
    st.one_of(
        st.builds(lambda topic: f"topic_exact:{topic}", st.sampled_from(TOPICS)),
        st.builds(lambda year: f"year_exact:{year}", st.sampled_from(["2020", "2021", "2022", "2023", "2024"])),
        st.builds(lambda kind: f"kind_exact:{kind}", st.sampled_from(KINDS)),
    ),
    max_size=2,
    unique=True,
)
request = st.tuples(
    queries,
    narrowings,
    st.sampled_from([None, "-issue_date", "issue_date"]),
    st.integers(min_value=0, max_value=30),
    st.sampled_from([1, 10, 20, 200]),
)


def live_pk(searcher, docnum: int) -> str:
    return searcher.stored_fields(docnum)["django_id"]


def compare(backend, query_string: str, narrow: list[str], sort: str | None, start: int, size: int) -> None:
    """One search through the backend against Whoosh's searcher."""
    ours = backend.search(
        query_string,
        sort_by=[sort] if sort else None,
        start_offset=start,
        end_offset=start + size,
        facets=FACETS,
        narrow_queries=set(narrow),
    )
    searcher = backend.searcher()
    parser = QueryParser("text", schema=backend.schema)
    parsed = Every() if query_string == "*" else parser.parse(query_string)
    allowed = set(searcher.docs_for_query(parsed))
    for narrow_query in narrow:
        allowed &= set(searcher.docs_for_query(parser.parse(narrow_query)))
    context = f"{query_string!r} narrowed by {narrow} sorted by {sort} [{start}:{start + size}]"

    # The documents matched.
    assert ours["hits"] == len(allowed), context
    if not allowed:
        # (Whoosh reads an empty filter as no filter.)
        assert ours["results"] == [] and not any(ours["facets"]["fields"].values()), context
        return

    # Facet counts: Whoosh's own grouping of the same documents.
    for fieldname in FACETS:
        grouped = searcher.search(
            parsed,
            filter=allowed,
            limit=None,
            groupedby=sorting.FieldFacet(fieldname, allow_overlap=True),
            maptype=sorting.Count,
        ).groups(fieldname)
        expected = {value: count for value, count in grouped.items() if value is not None and count}
        counted = ours["facets"]["fields"][fieldname]
        assert dict(counted) == expected, f"{fieldname} of {context}"
        assert counted == sorted(counted, key=lambda item: (-item[1], str(item[0]))), context

    pks = [result.pk for result in ours["results"]]
    if sort is None and query_string != "*":
        # BM25F: the same scores, best first, as Whoosh's ranking of every
        # match (with a limit, Whoosh skips posting blocks by an estimate of
        # their best score, which misses documents for an OR with a phrase
        # and a NOT part).
        hits = searcher.search(parsed, filter=allowed, limit=None)
        theirs = [(live_pk(searcher, hit.docnum), hit.score) for hit in hits][start : start + size]
        mine = [(result.pk, result.score) for result in ours["results"]]
        assert len(mine) == len(theirs), context
        for (_, score), (_, expected_score) in zip(mine, theirs, strict=True):
            assert math.isclose(score, expected_score, rel_tol=1e-9, abs_tol=1e-12), context
        # The same documents, apart from which of several equal scores at
        # the page's edges made it onto the page (Whoosh breaks ties in its
        # own way; the engine in document order).
        if theirs:
            low = theirs[-1][1] * (1 + 1e-9)
            high = theirs[0][1] * (1 - 1e-9) if start else math.inf

            def inside(items):
                return {pk for pk, score in items if low < score < high}

            assert inside(mine) == inside(theirs), context
    else:
        # Date order (match-all is newest first): Whoosh's sort on the column.
        reverse = sort != "issue_date"
        hits = searcher.search(parsed, filter=allowed, limit=None, sortedby="issue_date", reverse=reverse)
        order = [hit.docnum for hit in hits]
        column = searcher.reader().column_reader("issue_date")
        expected_dates = [column[docnum] for docnum in order][start : start + size]
        by_pk = {live_pk(searcher, docnum): column[docnum] for docnum in order}
        assert [by_pk[pk] for pk in pks] == expected_dates, context
        # Equal dates may come in either order; the set of each date's
        # documents on the page is Whoosh's, except at the page's edges.
        inner = [pk for pk in pks if by_pk[pk] not in (expected_dates[0], expected_dates[-1])]
        expected_inner = [
            live_pk(searcher, docnum)
            for docnum in order[start : start + size]
            if column[docnum] not in (expected_dates[0], expected_dates[-1])
        ]
        assert Counter(inner) == Counter(expected_inner), context


def run_history(history, requests) -> None:
    backend_settings = settings.HAYSTACK_CONNECTIONS["default"]
    original = backend_settings["PATH"]
    directory = tempfile.mkdtemp(prefix="differential-")
    backend_settings["PATH"] = directory
    connections.reload("default")
    try:
        backend = embedded_backend()
        backend.setup()
        whoosh_index.create_in(directory, backend.schema)
        per_step = max(1, len(requests) // len(history))
        for step, (operation, argument) in enumerate(history):
            apply(directory, operation, argument)
            for query in requests[step * per_step : (step + 1) * per_step] or requests[:1]:
                compare(backend, *query)
        # Every kind of query once more on the final index.
        for query in requests:
            compare(backend, *query)
    finally:
        backend_settings["PATH"] = original
        connections.reload("default")
        shutil.rmtree(directory, ignore_errors=True)


@given(
    history=histories(steps=6, documents_per_commit=300),
    requests=st.lists(request, min_size=6, max_size=14),
)
def test_searches_equal_whooshs_over_an_index_history(history, requests):
    run_history(history, requests)


@pytest.mark.django_db
def test_bulk_written_segment_equals_whooshs(ingested_samples, tmp_path):
    """A rebuild's segment, written by the bulk writer, holds what Whoosh's
    own writer writes for the same articles: every posting block, term
    statistic, stored field, field length and column value."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import SegmentWriter

    from archive.models import Article, Byline, Issue
    from archive.search import indexing

    backend = embedded_backend()
    # Enough articles for posting lists of several blocks: copies of the
    # samples in later issues.
    originals = list(Issue.objects.order_by("pk"))
    for copy in range(1, 17):
        for issue in originals:
            twin = Issue.objects.create(
                paper=issue.paper,
                publication_date=issue.publication_date + datetime.timedelta(days=400 * copy),
                source_name=f"copy{copy}-{issue.source_name}",
                source_sha256=f"copy{copy}{issue.source_sha256}"[:64],
                source_text="",
            )
            for article in Article.objects.filter(issue=issue).prefetch_related("bylines", "topics"):
                bylines, topics = list(article.bylines.all()), list(article.topics.all())
                article.pk = None
                article.issue = twin
                article.save()
                article.topics.set(topics)
                Byline.objects.bulk_create(
                    [Byline(article=article, reporter=b.reporter, role=b.role, position=b.position) for b in bylines]
                )
    indexing.rebuild(workers=1)
    bulk = whoosh_index.open_dir(backend.path)

    index = connections["default"].get_unified_index().get_index(Article)
    whoosh_dir = tmp_path / "whoosh"
    whoosh_dir.mkdir()
    ix = FileStorage(str(whoosh_dir)).create_index(backend.schema)
    # A tiny sort pool, so Whoosh's writer also goes through its run files.
    writer = SegmentWriter(ix, limitmb=1)
    # The same articles in the order the rebuild wrote them.
    with bulk.reader() as reader:
        order = [int(fields["django_id"]) for fields in reader.all_stored_fields()]
    articles = index.index_queryset().in_bulk(order)
    assert len(articles) == Article.objects.count() > 128 * 2
    backend.write_documents(writer, index, [articles[pk] for pk in order], add=True)
    writer.commit()

    theirs, ours = index_contents(ix), index_contents(bulk)
    assert any(len(value[-1]) > 1 for key, value in theirs.items() if isinstance(key, tuple) and key[0] == "text")
    assert ours == theirs


def index_contents(ix) -> dict:
    """Everything a reader sees in an index, posting block by posting block
    (Whoosh's block reader: the blocks themselves must be the same)."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    contents = {}
    with ix.reader() as reader:
        contents["stored"] = list(reader.all_stored_fields())
        for fieldname in sorted(reader.indexed_field_names()):
            for term in reader.lexicon(fieldname):
                info = reader.term_info(fieldname, term)
                matcher = reader.postings(fieldname, term)
                assert isinstance(matcher, W3LeafMatcher)
                blocks = []
                while not matcher._atend:
                    matcher._read_ids()
                    matcher._read_weights()
                    matcher._read_values()
                    blocks.append(
                        (
                            matcher.block_min_length(),
                            matcher.block_max_length(),
                            matcher.block_max_weight(),
                            tuple(matcher._ids),
                            tuple(matcher._weights),
                            tuple(matcher._values),
                        )
                    )
                    matcher._next_block()
                contents[fieldname, term] = (
                    info.weight(),
                    info.doc_frequency(),
                    info.min_length(),
                    info.max_length(),
                    info.max_weight(),
                    info.min_id(),
                    info.max_id(),
                    blocks,
                )
            if ix.schema[fieldname].scorable:
                contents["length", fieldname] = [
                    reader.doc_field_length(docnum, fieldname) for docnum in range(reader.doc_count_all())
                ]
        contents["issue_date"] = list(reader.column_reader("issue_date", translate=False))
    return contents
