"""The archive's own text analysis, which every search engine indexes and
queries with: folding, jieba words and their positions, the pre-cut text a
search server receives, query parsing, marks and snippets. No engine here."""

from __future__ import annotations

import re

from archive.search.analysis import PRECUT_CONTEXT, fold, precut_text, query_words, word_tokens
from archive.search.highlight import highlight, snippet
from archive.search.query import parse_query

PRECUT_TEXTS = [
    "北京大学生活动中心举办讲座。",
    "ＡＢＣ２０２４年 covid-19 c++ 97.6% iPhone ESP32， 呼和浩特市赛罕区召开常务会议研究部署养老服务工作。",
    "",
]


def test_fold_keeps_length_and_folds_width_case_and_script():
    text = "２０２４年ＡＢＣ發展經濟　iPhone"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "2024年abc发展经济 iphone"


def test_sub_words_share_the_position_of_their_word():
    tokens = word_tokens(fold("北京大学生活动中心"), subwords=True)
    positions = {word: position for position, word, _start, _end in tokens}
    assert positions["大学生"] == positions["大学"] == positions["学生"]
    assert positions["北京"] + 1 == positions["大学生"]
    # Queries use the precise cut only.
    assert [word for _p, word, _s, _e in word_tokens(fold("北京大学生活动中心"), subwords=False)] == [
        "北京",
        "大学生",
        "活动中心",
    ]


def test_digits_latin_and_single_characters_are_kept_unstemmed():
    assert query_words("iPhone ESP32 覆盖率97.6%") == ["iphone", "esp32", "覆盖率", "97.6"]
    assert query_words("２０２４") == ["2024"]
    assert "的" in query_words("我的书")


def test_character_offsets_point_into_the_original_text():
    text = "國務院召開會議，ＥＳＰ３２上市"
    for _position, word, start, end in word_tokens(fold(text), subwords=True):
        assert fold(text[start:end]) == word


def test_a_search_server_gets_the_word_positions_and_each_sub_word_in_context():
    for text in PRECUT_TEXTS:
        tokens = word_tokens(fold(text), subwords=True)
        words: list[str] = []
        subwords = []
        for position, word, _start, _end in tokens:
            if position == len(words):
                words.append(word)
            else:
                subwords.append((position, word))
        main, *contexts = precut_text(text)
        # Split on whitespace as the server does: one word per position.
        assert main.split() == words
        for position, word in subwords:
            before = words[max(0, position - PRECUT_CONTEXT) : position]
            after = words[position + 1 : position + 1 + PRECUT_CONTEXT]
            assert " ".join([*before, word, *after]) in contexts
        assert len(contexts) == len(set(contexts)) <= len(subwords)
    assert precut_text("北京大学生")[0] == "北京 大学生"
    assert "北京 大学" in precut_text("北京大学生")


def test_query_parsing():
    parsed = parse_query('养老 OR 殡葬 -婚姻 "放管服" “社会 救助”')
    assert [[term.text for term in group] for group in parsed.groups] == [["养老", "殡葬"], ["放管服"], ["社会 救助"]]
    assert [term.text for term in parsed.excluded] == ["婚姻"]
    assert parse_query("*").match_all
    assert parse_query("-殡葬").match_all
    assert parse_query('"放管服').notes


def test_highlight_marks_the_querys_own_text():
    html = str(highlight("北京大学生活动中心", {"大学"}))
    assert html == "北京<mark>大学</mark>生活动中心"
    escaped = str(snippet("<script>alert(1)</script>养老服务很重要", {"养老服务"}))
    assert "<script>" not in escaped and "&lt;script&gt;" in escaped and "<mark>养老服务</mark>" in escaped


def test_long_snippets_are_cut_at_word_boundaries():
    text = "前面的内容很多" * 40 + "这里讨论养老服务体系建设问题" + "后面的内容也很多" * 40
    html = str(snippet(text, {"养老服务"}, length=60))
    assert "<mark>" in html and html.startswith("…") and html.endswith("…")
    plain = re.sub(r"</?mark>", "", html).strip("…")
    assert plain in text
    start = text.index(plain)
    boundaries = {start for _p, _w, start, _e in word_tokens(fold(text), subwords=False)}
    assert start in boundaries
