"""Parse the plain-text dump of one printed issue into articles.

``parse_issue`` is the only entry point; it is pure Python (no Django) so
that ingest, the ``parse_issue`` command and the tests share it.
"""

from __future__ import annotations

import datetime
import functools

from archive.parsing import dates, topics
from archive.parsing.assemble import assemble, carry_briefs_label
from archive.parsing.bylines import match_dateline, without_credits
from archive.parsing.document import Byline, ParsedArticle, ParsedIssue
from archive.parsing.doubts import mark_doubts
from archive.parsing.lines import BOX_LABEL, compact, split_lines
from archive.parsing.segment import Role, segment

__all__ = ["Byline", "ParsedArticle", "ParsedIssue", "parse_issue"]

# An editor's note above a story runs to a few paragraphs at most.
PREFACE_MAX_PARAGRAPHS = 5
# How many articles either side are searched for a label that recurs (a rubric).
RUBRIC_NEIGHBOURS = 30


def _recurs_nearby(bodies: list[str], position: int, label: str) -> bool:
    """Whether ``label`` occurs in the text of another article near ``position``.

    Neighbours only, so that a huge input stays linear; a rubric recurs on the
    pages around the article it heads.
    """
    needle = compact(label)
    nearby = range(max(0, position - RUBRIC_NEIGHBOURS), min(len(bodies), position + RUBRIC_NEIGHBOURS + 1))
    return any(needle in bodies[other] for other in nearby if other != position)


def _opening(article: ParsedArticle) -> tuple[tuple[int | None, int] | None, str, bool]:
    """Month and day of the dateline (or the date the text opens with), the text after the dateline,
    and whether the article has a dateline at all."""
    if not article.paragraphs:
        return None, "", False
    preface, paragraphs = [], article.paragraphs
    if BOX_LABEL.match(paragraphs[0]):
        # An editor's note set above the story: the dateline opens the story proper.
        datelined = [n for n, p in enumerate(paragraphs[:PREFACE_MAX_PARAGRAPHS]) if match_dateline(p)]
        if datelined:
            preface, paragraphs = paragraphs[: datelined[0]], paragraphs[datelined[0] :]
    first = paragraphs[0]
    dateline = match_dateline(first)
    opening = first[dateline.end :] if dateline is not None else first
    # Without the dateline and a closing signature: their names say nothing of the subject.
    text = without_credits("\n".join([*preface, opening, *paragraphs[1:]]))
    if dateline is not None and dateline.day is not None:
        return (dateline.month, dateline.day), text, True
    if article.kind in ("continuation", "commentary"):
        return None, text, dateline is not None  # the date of a continued story is on its first page
    return dates.event_month_day(opening), text, dateline is not None


def parse_issue(text: str, source: str, issue_date: datetime.date | None = None) -> ParsedIssue:
    """Articles and metadata of one issue; see ``docs/parse-contract.md``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    drafts, loose_lines = segment(split_lines(text))
    unassigned_lines = list(loose_lines)

    bodies = [compact("".join(line.text for line in draft.lines(Role.TEXT))) for draft in drafts]
    articles: list[ParsedArticle] = []
    for position, draft in enumerate(drafts):
        article, leftover_labels = assemble(draft, functools.partial(_recurs_nearby, bodies, position))
        if not article.paragraphs and article.kind != "photo":
            # A title with nothing under it (a page label, a headline whose
            # story the dump lost) is kept, but it is not an article; a
            # photo with only a headline and a credit is (the picture is the story).
            unassigned_lines.extend(line for line, _role in draft.entries)
            continue
        articles.append(article)
        unassigned_lines.extend(leftover_labels)

    carry_briefs_label(articles)
    inferred = False
    if issue_date is None:
        issue_date = dates.date_from_source(source)
    openings = [_opening(article) for article in articles]
    if issue_date is None:
        month_days = [(month, day) for month, day in filter(None, (date for date, _, _ in openings)) if month]
        issue_date = dates.infer_issue_date(text, month_days) or dates.issue_date_from_full_dates(text)
        inferred = issue_date is not None
    for article, (opening_date, body, dated) in zip(articles, openings, strict=True):
        # The event date is the dateline's ("本报3月5日讯", or "据新华社电 8日…"): a date
        # a commentary or caption opens with need not be the day of any event reported.
        if opening_date and dated and issue_date is not None:
            month, day = opening_date
            article.event_date = dates.resolve_year(month, day, issue_date)
        title = " ".join(filter(None, (article.kicker, article.headline, article.subtitle)))
        article.topics, article.keywords = topics.analyse(title, body)
        if article.kind == "other":
            # Essays, poems and book notes of a literary page: culture, whatever they describe.
            article.topics = ["文化", *(topic for topic in article.topics if topic != "文化")][: topics.MAX_TOPICS]

    mark_doubts(articles, [dated for _, _, dated in openings])
    unassigned_lines.sort(key=lambda line: line.index)
    return ParsedIssue(
        source=source,
        issue_date=issue_date,
        issue_date_inferred=inferred,
        articles=articles,
        unassigned=[line.text for line in unassigned_lines],
    )
