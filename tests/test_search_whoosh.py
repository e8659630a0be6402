"""The archive's Whoosh engine: its analyzers and its rebuild beside the
live directory. Its own shortcuts (set evaluation, scoring, facet counts,
the bulk segment writer) are compared with Whoosh itself in
tests/test_search_differential.py; what every engine must do is in
the every_search_engine modules (tests/test_search_queries.py, …)."""

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
