"""Parse the plain-text dump of one printed issue into articles.

``parse_issue`` is the only entry point; it is pure Python (no Django) so
that ingest, the ``parse_issue`` command and the tests share it.
"""

from __future__ import annotations

import datetime

from archive.parsing import dates, topics
from archive.parsing.assemble import assemble
from archive.parsing.bylines import match_dateline
from archive.parsing.document import Byline, ParsedArticle, ParsedIssue
from archive.parsing.lines import compact, split_lines
from archive.parsing.segment import Role, segment

__all__ = ["Byline", "ParsedArticle", "ParsedIssue", "parse_issue"]


def _dateline_date(article: ParsedArticle) -> tuple[int | None, int | None] | None:
    """Month and day the article's dateline gives, or the date its text opens with."""
    if not article.paragraphs:
        return None
    first = article.paragraphs[0]
    dateline = match_dateline(first)
    if dateline is not None and dateline.day is not None:
        return dateline.month, dateline.day
    opening = first[dateline.end :] if dateline is not None else first
    return dates.event_month_day(opening)


def parse_issue(text: str, source: str, issue_date: datetime.date | None = None) -> ParsedIssue:
    """Articles and metadata of one issue; see ``docs/parse-contract.md``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    drafts, loose_lines = segment(split_lines(text))
    unassigned_lines = list(loose_lines)

    bodies = ["".join(line.text for line, role in draft.entries if role is Role.TEXT) for draft in drafts]

    articles: list[ParsedArticle] = []
    for position, draft in enumerate(drafts):

        def recurs(label: str, position: int = position) -> bool:
            needle = compact(label)
            return any(needle in compact(body) for other, body in enumerate(bodies) if other != position)

        article, leftover = assemble(draft, recurs)
        articles.append(article)
        unassigned_lines.extend(line for line, role in draft.entries if role is Role.LABEL and line.text in leftover)

    inferred = False
    if issue_date is None:
        issue_date = dates.date_from_source(source)
    opening_dates = [_dateline_date(article) for article in articles]
    if issue_date is None:
        month_days = [(month, day) for month, day in filter(None, opening_dates) if month]
        issue_date = dates.infer_issue_date(text, month_days)
        inferred = issue_date is not None
    for article, opening in zip(articles, opening_dates, strict=True):
        if opening and issue_date is not None:
            month, day = opening
            article.event_date = dates.resolve_year(month or issue_date.month, day, issue_date)
        title_tokens = topics.cut(" ".join(filter(None, (article.kicker, article.headline, article.subtitle))))
        body_tokens = topics.cut("\n".join(article.paragraphs))
        article.topics = topics.classify(title_tokens, body_tokens)
        article.keywords = topics.keywords(title_tokens, body_tokens)

    unassigned_lines.sort(key=lambda line: line.index)
    return ParsedIssue(
        source=source,
        issue_date=issue_date,
        issue_date_inferred=inferred,
        articles=articles,
        unassigned=[line.text for line in unassigned_lines],
    )
