"""Properties of the parser on any text: it never fails, and every input
line ends up in some field of the result."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.parsing import parse_issue
from archive.parsing.document import KINDS, TOPICS, ParsedIssue
from tests.factories import SAMPLE_FILES

_WHITESPACE = re.compile(r"\s+")


def _compact(text: str) -> str:
    return _WHITESPACE.sub("", text)


def unaccounted_lines(text: str, issue: ParsedIssue) -> list[str]:
    """Input lines whose text is in no single field of the result.

    Each non-blank line, whitespace removed, must be a substring of one field:
    a headline, kicker, subtitle, column, paragraph, credit line or unassigned
    entry. Joined paragraphs contain their lines whole, so this holds for a
    correct parse; a line dropped, cut short or altered makes it fail.
    """
    fields = [_compact(entry) for entry in issue.unassigned]
    for article in issue.articles:
        fields.extend(
            _compact(value) for value in (article.headline, article.kicker, article.subtitle, article.column) if value
        )
        fields.extend(_compact(value) for value in article.paragraphs + article.credits)
    missing = []
    # Line breaks as the parser sees them: a lone carriage return ends a line too.
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        needle = _compact(line)
        if needle and not any(needle in field for field in fields):
            missing.append(line)
    return missing


def test_unaccounted_lines_check_can_fail():
    issue = parse_issue("标题\n\n本报讯(记者 张三)正文。\n", source="x.txt")
    issue.articles[0].paragraphs = ["本报讯(记者 张三)正"]
    assert unaccounted_lines("标题\n\n本报讯(记者 张三)正文。\n", issue) == ["本报讯(记者 张三)正文。"]


_SAMPLE_LINES = [line for path in SAMPLE_FILES for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
_SPECIAL_LINES = [
    "本报讯(记者 张三 通讯员 李四)1月11日,",
    "【新华社北京3月15日电】",
    "■本报记者 王五摄",
    "(刘沙沙)",
    "(上接第1版)",
    "(下转第3版)",
    "——二谈落实好今年重点工作",
    "短评",
    "第2版 要闻",
    "一、提前完成检修任务",
    "2023年12月30日",
    "记者:问题是什么?",
]
_line = st.one_of(
    st.sampled_from(_SAMPLE_LINES),
    st.sampled_from(_SPECIAL_LINES),
    st.sampled_from(_SAMPLE_LINES).map(lambda line: line[: len(line) // 2]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80),
    st.text(alphabet="，。、；：？！“”（）()【】《》—… \u3000\t■", max_size=20),
    st.builds(lambda a, b: a + b, st.sampled_from(_SAMPLE_LINES), st.sampled_from(_SPECIAL_LINES)),
    st.just("测" * 3000),
    st.just("Hohhot 呼和浩特 Хөх хот ᠬᠥᠬᠡᠬᠣᠲᠠ 1月11日"),
)
_issue_text = st.lists(st.tuples(_line, st.integers(min_value=0, max_value=3)), max_size=40).map(
    lambda items: "".join(line + "\n" * (gap + 1) for line, gap in items)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_issue_text)
def test_any_text_parses_and_every_line_is_accounted_for(text):
    issue = parse_issue(text, source="random.txt")
    assert unaccounted_lines(text, issue) == []
    for article in issue.articles:
        assert article.kind in KINDS
        assert set(article.topics) <= set(TOPICS)
    json.dumps(issue.to_contract(), ensure_ascii=False)


@settings(max_examples=60, deadline=None)
@given(st.permutations(_SAMPLE_LINES[:60]), st.integers(min_value=0, max_value=2))
def test_shuffled_sample_paragraphs_are_accounted_for(lines, gap):
    text = ("\n" * (gap + 1)).join(lines)
    assert unaccounted_lines(text, parse_issue(text, source="shuffled.txt")) == []
