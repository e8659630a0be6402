"""The parser on real pages: People's Daily issues from the 1940s to the 2000s.

Each issue in ``tests/data/real`` is built by ``tests/data/real/build.py``
from an annotated source file (``.src``) that records, per article, the public
archive file it was read from. ``tuned/`` is what the parser's rules were
checked against; ``heldout/`` was kept aside and scored only at the end
(docs/parsing.md gives both sets of figures).

The oracle here is the gold file, matched the way the shared scorer matches:
a parsed article stands for a gold article when their bodies are at least 90%
alike, each used once.
"""

from __future__ import annotations

import datetime
import difflib
import importlib.util
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from archive.parsing import parse_issue

REAL_DIR = Path(__file__).resolve().parent / "data" / "real"
TUNED = sorted((REAL_DIR / "tuned").glob("*.src"))
HELDOUT = sorted((REAL_DIR / "heldout").glob("*.src"))
ALL_SOURCES = TUNED + HELDOUT
MATCH_AT = 0.9
_WS = re.compile(r"\s+")


def _builder():
    spec = importlib.util.spec_from_file_location("real_pages_build", REAL_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _builder()


def norm(text: str | None) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


def parse(source: Path) -> dict:
    text_path = source.with_suffix(".txt")
    return parse_issue(text_path.read_text(encoding="utf-8"), text_path.name).to_contract()


def gold(source: Path) -> dict:
    return json.loads(source.with_suffix(".gold.json").read_text(encoding="utf-8"))


def matches(parsed: list[dict], expected: list[dict]) -> list[tuple[int, int]]:
    """Gold and parsed articles paired best-first on body similarity (at least ``MATCH_AT``)."""
    bodies = [norm("".join(article["paragraphs"])) for article in parsed]
    pairs = []
    for gi, article in enumerate(expected):
        body = norm("".join(article["paragraphs"]))
        for pi, other in enumerate(bodies):
            ratio = difflib.SequenceMatcher(None, body, other, autojunk=False).ratio()
            if ratio >= MATCH_AT:
                pairs.append((ratio, gi, pi))
    used_gold, used_parsed, result = set(), set(), []
    for _ratio, gi, pi in sorted(pairs, reverse=True):
        if gi not in used_gold and pi not in used_parsed:
            used_gold.add(gi)
            used_parsed.add(pi)
            result.append((gi, pi))
    return result


# -- the corpus itself -------------------------------------------------------------


def test_corpus_covers_the_decades_and_keeps_issues_aside():
    decades = {source.name.split("_")[1][:3] for source in ALL_SOURCES}
    assert len(ALL_SOURCES) >= 40
    assert len(decades) >= 6
    assert len(HELDOUT) >= 12
    assert len({source.name.split("_")[1][:3] for source in HELDOUT}) >= 6


@pytest.mark.parametrize("source", ALL_SOURCES, ids=lambda path: path.stem)
def test_dump_and_gold_are_built_from_the_annotated_source(source):
    issue = BUILD.read_source(source)
    assert source.with_suffix(".txt").read_text(encoding="utf-8") == BUILD.dump(issue)
    assert gold(source) == json.loads(json.dumps(BUILD.gold(source, issue), ensure_ascii=False))
    day = datetime.date.fromisoformat(gold(source)["issue_date"])
    # Issues of the 1st of a month and of May 1946 are kept for a check outside this corpus.
    assert day.day != 1 and (day.year, day.month) != (1946, 5)
    for article in issue["articles"]:
        assert re.fullmatch(r"[0-9a-f]{40}", article["source"]["commit"])
        assert article["source"]["path"].startswith(day.strftime("%Y年%m月/%Y-%m-%d_"))
        assert article["paragraphs"], article["source"]["path"]


# -- the parser on it --------------------------------------------------------------------


@pytest.mark.parametrize("source", ALL_SOURCES, ids=lambda path: path.stem)
def test_nothing_of_a_real_page_is_lost(source):
    parsed = parse(source)
    everything = norm(
        "".join(
            "".join(article["paragraphs"])
            + "".join(article[key] or "" for key in ("headline", "kicker", "subtitle", "column"))
            + "".join(byline["name"] for byline in article["bylines"])
            for article in parsed["articles"]
        )
        + "".join(parsed["unassigned"])
    )
    for article in gold(source)["articles"]:
        for paragraph in article["paragraphs"]:
            assert norm(paragraph) in everything


def title_text(article: dict) -> str:
    if "title_lines" in article:
        return norm("".join(article["title_lines"]))
    return norm("".join(article.get(key) or "" for key in ("kicker", "headline", "subtitle")))


@pytest.mark.parametrize("sources", [TUNED, HELDOUT], ids=["tuned", "heldout"])
def test_real_pages_are_parsed_into_their_articles_in_every_decade(sources):
    """Segment F1 and exact titles per decade; the held-out pages, scored at the end, now guard against regressions."""
    totals = defaultdict(lambda: {"gold": 0, "parsed": 0, "matched": 0, "titles": 0})
    for source in sources:
        parsed, expected = parse(source)["articles"], gold(source)["articles"]
        pairs = matches(parsed, expected)
        counts = totals[source.name.split("_")[1][:3]]
        counts["gold"] += len(expected)
        counts["parsed"] += len(parsed)
        counts["matched"] += len(pairs)
        counts["titles"] += sum(title_text(expected[gi]) == title_text(parsed[pi]) for gi, pi in pairs)
    assert len(totals) >= 6
    for decade, counts in totals.items():
        precision, recall = counts["matched"] / counts["parsed"], counts["matched"] / counts["gold"]
        f1 = 2 * precision * recall / (precision + recall)
        assert f1 >= 0.95, (decade, counts)
        assert counts["titles"] / counts["matched"] >= 0.9, (decade, counts)
