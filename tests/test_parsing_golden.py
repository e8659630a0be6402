"""The parser's golden issues, and the contract's fixed lists on every text.

Golden issues live in ``tests/data`` as ``NAME.txt`` with the contract JSON
the parser must print for it in ``NAME.expected.json``. A new layout is one
more pair of files. After a deliberate change of the parser, rewrite the
expected files with ``UPDATE_PARSER_GOLDEN=1 pytest tests/test_parsing_golden.py``:
every golden test then fails, naming the file it wrote, until the variable is
unset; read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from archive.parsing import parse_issue
from archive.parsing.document import DOUBTS, KINDS, ROLES, TOPICS, ParsedIssue
from tests.factories import SAMPLE_FILES

DATA_DIR = Path(__file__).resolve().parent / "data"
GOLDEN_TEXTS = sorted(path for path in DATA_DIR.glob("*.txt") if path.with_suffix(".expected.json").exists())


def parse_file(path: Path) -> ParsedIssue:
    return parse_issue(path.read_text(encoding="utf-8"), source=path.name)


def test_every_golden_text_has_its_expected_file():
    texts = sorted(DATA_DIR.glob("*.txt"))
    assert texts, "no golden issues in tests/data"
    assert [path.name for path in texts] == [path.name for path in GOLDEN_TEXTS]


@pytest.mark.parametrize("path", GOLDEN_TEXTS, ids=lambda path: path.stem)
def test_golden_issue(path):
    produced = parse_file(path).to_contract()
    expected_path = path.with_suffix(".expected.json")
    if os.environ.get("UPDATE_PARSER_GOLDEN"):
        # Rewriting is never a pass: the new file is only right once a person
        # has read its diff, and a run that sets the variable checks nothing.
        text = json.dumps(produced, ensure_ascii=False, indent=2) + "\n"
        changed = not expected_path.exists() or expected_path.read_text(encoding="utf-8") != text
        expected_path.write_text(text, encoding="utf-8")
        relative = expected_path.relative_to(DATA_DIR.parent.parent)
        pytest.fail(
            f"UPDATE_PARSER_GOLDEN: wrote {relative} ({'changed' if changed else 'unchanged'}); "
            f"review `git diff {relative}`, then run the tests again without UPDATE_PARSER_GOLDEN"
        )
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert produced["issue_date"] == expected["issue_date"]
    assert [a["headline"] for a in produced["articles"]] == [a["headline"] for a in expected["articles"]]
    for number, (got, want) in enumerate(zip(produced["articles"], expected["articles"], strict=True)):
        assert got == want, f"article {number + 1} ({want['headline']})"
    assert produced == expected


@pytest.mark.parametrize("path", GOLDEN_TEXTS + SAMPLE_FILES, ids=lambda path: path.stem)
def test_contract_values_are_from_the_fixed_lists(path):
    issue = parse_file(path)
    for article in issue.articles:
        assert article.kind in KINDS
        assert {byline.role for byline in article.bylines} <= set(ROLES)
        assert article.topics and set(article.topics) <= set(TOPICS)
        assert len(article.keywords) <= 8
        if len("".join(article.paragraphs)) >= 60:
            assert len(article.keywords) >= 3
        assert article.source_lines
        assert set(article.doubts) <= set(DOUBTS)
