"""Parsing a text as one issue's dump, for the parser tests: the issue, or
its one article."""

from __future__ import annotations

import datetime

from archive.parsing import parse_issue


def parse_text(text: str, issue_date: datetime.date | None = None):
    """``text`` parsed as the dump of one issue, from a file whose name has no date."""
    return parse_issue(text, source="test.txt", issue_date=issue_date)


def one_article(text: str, **kwargs):
    issue = parse_text(text, kwargs.pop("issue_date", datetime.date(2024, 1, 12)))
    assert len(issue.articles) == 1, [a.headline for a in issue.articles]
    return issue.articles[0]
