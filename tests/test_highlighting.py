"""Exact highlighting: a result marks the query's own text first (养老服务,
not 养老服务体系); a term's words are marked only in a passage where the
whole term does not occur, and never a lone character inside another word
(导游 for 包车游). Checked on the sample issues' real results."""

from __future__ import annotations

import re

import pytest

from archive.search.analysis import query_words
from archive.search.highlight import highlight, snippet
from archive.search.query import search_articles

MARK = re.compile(r"<mark>(.*?)</mark>")


# The same results on every engine (see tests/test_search_queries.py).
pytestmark = pytest.mark.every_search_engine


def plain(html: str) -> str:
    return re.sub(r"</?mark>", "", str(html)).replace("&quot;", '"').replace("&#x27;", "'")


def check_marks(html, term):
    """The marks of one rendered passage for one query term."""
    marks = MARK.findall(str(html))
    if term in plain(html):
        assert marks and set(marks) == {term}, f"{term!r}: marked {marks} in {plain(html)!r}"
    else:
        pieces = {word for word in query_words(term) if len(word) > 1}
        assert set(marks) <= pieces, f"{term!r}: marked {marks} in {plain(html)!r}"


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["养老服务", "包车游", "民政", "社会救助"])
def test_results_mark_the_querys_own_text(ingested_samples, term):
    hits = search_articles(term).hits
    assert hits
    marked = 0
    for hit in hits:
        for html in (hit.headline_html, hit.snippet_html):
            check_marks(html, term)
            marked += len(MARK.findall(str(html)))
    assert marked


def test_a_longer_word_holding_the_term_is_not_marked_whole():
    text = "基本养老服务体系建设加快推进，养老服务设施覆盖城乡。"
    assert MARK.findall(str(highlight(text, {"养老服务"}))) == ["养老服务", "养老服务"]


def test_words_of_a_term_are_marked_only_where_the_whole_term_is_absent():
    assert MARK.findall(str(highlight("导游带领游客乘坐包车前往景区", {"包车游"}))) == ["包车"]
    assert MARK.findall(str(highlight("开通包车游线路，导游随车讲解，包车另计", {"包车游"}))) == ["包车游"]


def test_a_phrase_is_marked_as_printed():
    assert MARK.findall(str(snippet("社会救助保障标准稳步提高。", {"社会 救助"}))) == ["社会救助"]


@pytest.mark.django_db
def test_snippets_mark_whole_words_and_escape_html(ingested_samples):
    for query in ("养老服务", "呼和浩特", "包车游", "ESP32"):
        for hit in search_articles(query).hits:
            for html in (hit.snippet_html, hit.headline_html):
                text_only = re.sub(r"</?mark>", "", html)
                assert "<" not in text_only.replace("&lt;", "")
            assert "<mark>" in hit.snippet_html + hit.headline_html
