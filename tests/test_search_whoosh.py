"""The archive's Whoosh engine: its analyzers, its own shortcuts (scoring,
facet counts, set evaluation, the bulk segment writer) compared with Whoosh
itself, and its rebuild beside the live directory. What every engine must do
is in tests/test_search.py."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import QueryParser

from archive.models import Article
from archive.search import indexing
from archive.search.analysis import fold, word_tokens
from archive.search.query import search_articles
from archive.search.whoosh_analysis import ChineseAnalyzer
from tests.factories import SAMPLE_FILES


def test_whoosh_tokens_are_the_analysis_tokens():
    text = "國務院召開會議，ＥＳＰ３２上市 covid-19"
    tokens = [
        (token.pos, token.text, token.startchar, token.endchar)
        for token in ChineseAnalyzer()(text, positions=True, chars=True)
    ]
    assert tokens == word_tokens(fold(text), subwords=True)


def test_positions_for_the_index_are_the_tokens_positions():
    from whoosh.formats import Positions

    texts = [path.read_text(encoding="utf-8") for path in SAMPLE_FILES]
    texts += ["ＡＢＣ２０２４年 covid-19 c++ 97.6% iPhone ESP32， 北京大学生活动中心。  x  ", ""]
    analyzer = ChineseAnalyzer()
    positions_format = Positions(field_boost=4.0)
    for text in texts:
        for chunk in [text[start : start + 3000] for start in range(0, len(text), 3000)] or [text]:
            expected: dict[str, list[int]] = {}
            for position, word, _start, _end in word_tokens(fold(chunk), subwords=True):
                expected.setdefault(word, []).append(position)
            found = analyzer.positions(chunk)
            assert found == expected and list(found) == list(expected)
            # What Whoosh makes of the tokens, the bulk writer makes of the positions.
            whoosh_values = {
                word: (frequency, weight, value)
                for word, frequency, weight, value in positions_format.word_values(chunk, analyzer, mode="index")
            }
            assert whoosh_values == {
                word: (len(places), float(len(places)) * 4.0, positions_format.encode(places))
                for word, places in found.items()
            }


def test_phrase_matches_words_in_a_row_only():
    schema = Schema(body=TEXT(analyzer=ChineseAnalyzer(), phrase=True))
    index = RamStorage().create_index(schema)
    writer = index.writer()
    writer.add_document(body="市政府今天召开会议研究工作")
    writer.add_document(body="会议由市长召开")
    writer.add_document(body="召开了一次重要的会议")
    writer.commit()
    parser = QueryParser("body", schema)
    with index.searcher() as searcher:
        assert len(searcher.search(parser.parse('"召开会议"'))) == 1
        assert len(searcher.search(parser.parse("召开 会议"))) == 3


@pytest.mark.django_db
def test_rebuild_builds_beside_and_swaps(ingested_samples, tmp_path, settings):
    from haystack import connections

    link = tmp_path / "index"
    original = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = str(link)
    connections.reload("default")
    try:
        call_command("rebuild_index", "--quiet")
        assert link.is_symlink()
        first = link.resolve()
        assert search_articles("养老服务").total == 1
        call_command("rebuild_index", "--quiet")
        assert link.resolve() != first
        assert search_articles("养老服务").total == 1
        assert indexing.check().ok
        connections["default"].get_backend().clear()
        assert link.is_symlink() and search_articles("养老服务").total == 0
    finally:
        settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = original
        connections.reload("default")


def test_rebuild_with_several_workers(transactional_db, ingested_samples):
    # Committed data (transactional_db): the forked workers read the
    # database through connections of their own.
    result = indexing.rebuild(batch_size=4, workers=2)
    assert result.articles == Article.objects.count()
    assert search_articles("*").total == Article.objects.count()
    assert search_articles("养老服务").total == 1 and indexing.check().ok


def archive_engine(attribute: str, feature: str):
    """The configured search backend, for tests of the archive's own Whoosh
    engine; skipped when another engine is configured."""
    from haystack import connections

    backend = connections["default"].get_backend()
    if not hasattr(backend, attribute):
        pytest.skip(feature)
    return backend


@pytest.mark.django_db
def test_fast_relevance_scores_equal_whooshs(ingested_samples):
    backend = archive_engine("_bm25_page", "scoring shortcut of the archive's Whoosh engine")
    from archive.search.backend import _scored_terms

    searcher = backend.searcher()
    queries = (
        "(text:发展 OR headline:发展)",
        "text:养老 AND text:服务",
        "text:呼和浩特 OR text:包头 OR headline:北疆",
        "text:服务^3 OR headline:服务^0.5",
    )
    for text in queries:
        parsed = backend.parser.parse(text)
        leaves = _scored_terms(parsed)
        assert leaves
        matched = frozenset(searcher.docs_for_query(parsed))
        # Every other matching document: a filter narrows what is scored.
        narrowed = frozenset(sorted(matched)[::2])
        for allowed in (matched, narrowed, matched):  # the third run reads cached term scores
            hits = searcher.search(parsed, limit=10, filter=set(allowed) if allowed is narrowed else None)
            expected = [(hit.docnum, round(hit.score, 6)) for hit in hits]
            page = backend._bm25_page(searcher, leaves, allowed, 0, 10)
            fast = [(docnum, round(score, 6)) for docnum, score in page]
            assert fast, text
            assert sorted(fast, key=lambda item: -item[1]) == sorted(expected, key=lambda item: -item[1]), text


@pytest.mark.django_db
@pytest.mark.parametrize("mask_share", [10**9, 0], ids=["bit masks", "intersections"])
def test_facet_counts_equal_set_intersections(ingested_samples, monkeypatch, mask_share):
    backend = archive_engine("facet_counts", "facet counting of the archive's Whoosh engine")
    import functools

    from haystack import connections

    from archive.search import backend as engine
    from archive.search.backend import _bit_mask

    monkeypatch.setattr(engine, "FACET_MASK_SHARE", mask_share)

    unified = connections["default"].get_unified_index()
    searcher = backend.searcher()
    size = searcher.reader().doc_count_all()
    everything = backend.all_docs(searcher)
    # Every document, a few, every other one.
    for matched in (everything, frozenset(sorted(everything)[:2]), frozenset(sorted(everything)[::2])):
        mask = functools.cache(lambda matched=matched: _bit_mask(matched, size))
        assert mask().bit_count() == len(matched)
        for name in ("year", "topic", "reporter", "kind", "section"):
            fieldname = unified.get_facet_fieldname(name)
            expected = {
                value: len(docs & matched)
                for value, docs in backend.facet_docs(searcher, fieldname).items()
                if docs & matched
            }
            counted = backend.facet_counts(searcher, fieldname, matched, mask)
            assert dict(counted) == expected, name
            assert [count for _value, count in counted] == sorted(expected.values(), reverse=True)


@pytest.mark.django_db
def test_document_sets_equal_whooshs(ingested_samples):
    backend = archive_engine("docs_of", "set evaluation of the archive's Whoosh engine")
    # Indexed again: the older copies are deleted documents of the index.
    indexing.update_articles(Article.objects.order_by("pk").values_list("pk", flat=True)[:3])
    searcher = backend.searcher()
    assert searcher.reader().has_deletions()
    reader = searcher.reader()
    for fieldname in ("topic_exact", "reporter_exact", "year_exact"):
        for value, docs in backend.facet_docs(searcher, fieldname).items():
            assert docs == frozenset(reader.postings(fieldname, backend.schema[fieldname].to_bytes(value)).all_ids())
    for text in (
        '"民政 事业"',
        '"事业 民政"',
        '(text:"高质量 发展" OR headline:"高质量 发展") AND NOT text:殡葬',
        "text:养老 OR text:殡葬",
        # A phrase beside other branches is checked only where they missed.
        '(text:服务 OR text:"社会 救助") AND NOT text:殡葬',
        '(text:发展 OR text:"高质量 发展" OR headline:"社会 救助")',
        '"社会 救助 体系"',
        "*旗*",
    ):
        parsed = backend.parser.parse(text)
        assert backend.docs_of(searcher, parsed) == frozenset(searcher.docs_for_query(parsed)), text


@pytest.mark.django_db
def _index_contents(ix):
    """Everything a reader sees in an index, posting block by posting block."""
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


@pytest.mark.django_db
def test_bulk_segment_equals_whooshs(ingested_samples, tmp_path):
    from haystack import connections
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import SegmentWriter

    from archive.search.backend import BulkSegmentWriter

    backend = connections["default"].get_backend()
    index = indexing._index()
    # Enough documents for posting lists of several blocks.
    articles = list(index.index_queryset().order_by("pk")) * 10
    contents = []
    for name, writer_class, options in (
        # A tiny sort pool, so Whoosh's writer also goes through its run files.
        ("whoosh", SegmentWriter, {"limitmb": 1}),
        ("bulk", BulkSegmentWriter, {}),
    ):
        ix = FileStorage(str(tmp_path / name)).create().create_index(backend.schema)
        writer = writer_class(ix, _lk=False, compound=False, **options)
        backend.write_documents(writer, index, articles, add=True)
        segment = writer._finalize_segment()
        writer._commit_toc([segment])
        contents.append(_index_contents(ix))
    assert any(len(value[-1]) > 1 for key, value in contents[0].items() if isinstance(key, tuple) and key[0] == "text")
    assert contents[0] == contents[1]
