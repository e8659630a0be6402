"""Citations of articles: GB/T 7714-2015, APA and MLA for people; RIS and
BibTeX for reference managers (Zotero, EndNote, JabRef).

One :class:`Reference` holds what every format needs; the formatters only
arrange it. The newspaper's name, the page and the address come from the
caller, so that every format names the same paper, page and permalink.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.html import format_html

from archive.pagelabels import page_number

RIS_MEDIA_TYPE = "application/x-research-info-systems"
BIBTEX_MEDIA_TYPE = "application/x-bibtex"
MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
APA_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# GB/T 7714-2015 names the first three authors, then 等.
GBT_MAX_AUTHORS = 3
# APA 7 names up to twenty.
APA_MAX_AUTHORS = 20


@dataclass(frozen=True)
class Reference:
    title: str
    newspaper: str
    date: datetime.date
    url: str
    authors: tuple[str, ...] = ()
    page: str = ""  # "3", "A3"
    keywords: tuple[str, ...] = ()
    key: str = ""
    accessed: datetime.date | None = None


def reference_for(article, *, newspaper: str, url: str, accessed: datetime.date | None = None) -> Reference:
    """The reference of an article loaded with its bylines, issue and section."""
    names: list[str] = []
    for byline in article.bylines.all():
        if byline.reporter.name not in names:
            names.append(byline.reporter.name)
    day = article.issue.publication_date
    return Reference(
        title=article.title,
        newspaper=newspaper,
        date=day,
        url=url,
        authors=tuple(names),
        page=page_number(article.section.name if article.section_id else ""),
        keywords=tuple(article.keywords or ()),
        key=f"article{article.pk}-{day:%Y%m%d}",
        accessed=accessed,
    )


def _end(text: str) -> str:
    """``text`` closed with a full stop unless it already ends with a sentence mark."""
    return text if text and text[-1] in ".。!?！？…" else f"{text}."


def gbt7714(ref: Reference) -> str:
    """GB/T 7714-2015, 报纸 (电子资源): 作者. 题名[N/OL]. 报纸名, 日期(版次)[引用日期]. 网址."""
    parts = []
    if ref.authors:
        names = ", ".join(ref.authors[:GBT_MAX_AUTHORS])
        if len(ref.authors) > GBT_MAX_AUTHORS:
            names += ", 等"
        parts.append(_end(names))
    parts.append(f"{ref.title}[N/OL].")
    where = f"{ref.newspaper}, {ref.date:%Y-%m-%d}"
    if ref.page:
        where += f"({ref.page})"
    if ref.accessed:
        where += f"[{ref.accessed:%Y-%m-%d}]"
    parts.append(f"{where}.")
    parts.append(f"{ref.url}.")
    return " ".join(parts)


def _apa_authors(authors: tuple[str, ...]) -> str:
    names = list(authors[:APA_MAX_AUTHORS])
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def apa(ref: Reference):
    """APA 7, newspaper article: Author. (2024, January 12). Title. *Paper*, page. URL"""
    date = f"({ref.date.year}, {APA_MONTHS[ref.date.month - 1]} {ref.date.day})."
    container = format_html("<i>{}</i>{}", ref.newspaper, f", {ref.page}." if ref.page else ".")
    if ref.authors:
        return format_html("{} {} {} {} {}", _end(_apa_authors(ref.authors)), date, _end(ref.title), container, ref.url)
    return format_html("{} {} {} {}", _end(ref.title), date, container, ref.url)


def _mla_authors(authors: tuple[str, ...]) -> str:
    if len(authors) == 1:
        return authors[0]
    if len(authors) == 2:
        return f"{authors[0]}, and {authors[1]}"
    return f"{authors[0]}, et al"


def apa_text(ref: Reference) -> str:
    return re.sub(r"</?i>", "", str(apa(ref)))


def mla(ref: Reference):
    """MLA 9: Author. “Title.” *Paper*, 12 Jan. 2024, p. 3, URL."""
    date = f"{ref.date.day} {MLA_MONTHS[ref.date.month - 1]} {ref.date.year}"
    details = ", ".join(part for part in (date, f"p. {ref.page}" if ref.page else "", ref.url) if part)
    title = f"“{_end(ref.title)}”"
    if ref.authors:
        return format_html("{} {} <i>{}</i>, {}.", _end(_mla_authors(ref.authors)), title, ref.newspaper, details)
    return format_html("{} <i>{}</i>, {}.", title, ref.newspaper, details)


def _ris_line(tag: str, value) -> str:
    return f"{tag}  - {' '.join(str(value).split())}"


def ris(refs: list[Reference]) -> str:
    """RIS records, type NEWS, CRLF line ends as the format asks."""
    lines: list[str] = []
    for ref in refs:
        lines.append(_ris_line("TY", "NEWS"))
        lines.append(_ris_line("TI", ref.title))
        lines.extend(_ris_line("AU", name) for name in ref.authors)
        lines.append(_ris_line("PY", f"{ref.date:%Y}"))
        lines.append(_ris_line("DA", f"{ref.date:%Y/%m/%d}"))
        lines.append(_ris_line("T2", ref.newspaper))
        if ref.page:
            lines.append(_ris_line("SP", ref.page))
        lines.extend(_ris_line("KW", keyword) for keyword in ref.keywords)
        lines.append(_ris_line("LA", "zh"))
        lines.append(_ris_line("UR", ref.url))
        if ref.accessed:
            lines.append(_ris_line("Y2", f"{ref.accessed:%Y/%m/%d}"))
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)


_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _bib(value: str) -> str:
    def escape(match):
        char = match[1]
        if char == "\\":
            return r"\textbackslash{}"
        if char in "^~":
            return rf"\{char}{{}}"
        return "\\" + char

    return _BIBTEX_SPECIAL.sub(escape, " ".join(str(value).split()))


def bibtex(refs: list[Reference]) -> str:
    """BibTeX entries (``@article`` with biblatex's ``date`` and ``urldate`` too)."""
    entries = []
    for ref in refs:
        fields = [("title", ref.title)]
        if ref.authors:
            fields.append(("author", " and ".join(ref.authors)))
        fields += [
            ("journal", ref.newspaper),
            ("year", f"{ref.date.year}"),
            ("month", f"{ref.date.month}"),
            ("date", f"{ref.date:%Y-%m-%d}"),
        ]
        if ref.page:
            fields.append(("pages", ref.page))
        if ref.keywords:
            fields.append(("keywords", ", ".join(ref.keywords)))
        fields += [("language", "chinese"), ("url", ref.url)]
        if ref.accessed:
            fields.append(("urldate", f"{ref.accessed:%Y-%m-%d}"))
        body = ",\n".join(f"  {name} = {{{value if name == 'url' else _bib(value)}}}" for name, value in fields)
        entries.append(f"@article{{{ref.key},\n{body}\n}}\n")
    return "\n".join(entries)
