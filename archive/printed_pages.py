"""An issue's printed pages (版面), read from the sections of its articles.

The parser names each article's section from the page header above it
("第3版 要闻"); articles in printed order that share a section form a page.
Pages are numbered by their order in the issue (``/papers/SLUG/issues/DATE/pages/N/``),
the way Chronicling America numbers page sequences, because printed labels
(第3版, A3版, B1版) do not make one number series. An issue whose dump
carried no page header has no pages, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from archive.pagelabels import PageLabel, parse_page_label

UNLABELLED = "未标明版面"


@dataclass
class PrintedPage:
    number: int  # 1-based order in the issue
    paper: str  # the title's slug
    day: object  # the date
    label: PageLabel | None
    articles: list = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.label) if self.label else UNLABELLED

    @property
    def printed_number(self) -> str:
        return self.label.number if self.label else ""

    def get_absolute_url(self) -> str:
        return reverse("archive:issue_page", args=[self.paper, self.day, self.number])


def printed_pages(paper, day, articles) -> list[PrintedPage]:
    """``articles`` (one issue's, in printed order; ``paper`` its title's slug)
    grouped into pages; [] when none of them carries a section."""
    if not any(article.section_id for article in articles):
        return []
    pages: list[PrintedPage] = []
    current_section = object()
    for article in articles:
        if article.section_id != current_section:
            current_section = article.section_id
            label = parse_page_label(article.section.name) if article.section_id else None
            pages.append(PrintedPage(len(pages) + 1, paper, day, label))
        pages[-1].articles.append(article)
    return pages


def page_of(pages: list[PrintedPage], printed: str) -> PrintedPage | None:
    """The page printed as ``printed`` ("第3版", "3", "A3版"), if the issue has it."""
    wanted = parse_page_label(printed)
    if wanted is None or not wanted.number:
        return None
    return next((page for page in pages if page.printed_number == wanted.number), None)


def page_number_of(rows, article_pk) -> int | None:
    """The page (1-based, as in :func:`printed_pages`) that holds ``article_pk``,
    from one issue's ``(pk, section id)`` rows in printed order; None when the
    issue has no page information."""
    if not any(section_id for _pk, section_id in rows):
        return None
    number, current = 0, object()
    for pk, section_id in rows:
        if section_id != current:
            number, current = number + 1, section_id
        if pk == article_pk:
            return number
    return None
