"""The paper a dump says it is: the names its masthead and page headers print.

Ingest compares them with the title an issue is filed under, so that a dump of
one paper is not stored as another's. Only lines that cannot be running text
count: the paper's name alone on a line near the top (the masthead), a page
header that prints the name with the date or page ("河北日报 1956年3月6日
第2版"), and the source line of a web edition ("《 人民日报 》（ 2024年03月05日
第 01 版）").
"""

from __future__ import annotations

import re

from .charsets import HAN

# How the names of Chinese papers end.
_PAPER = rf"[{HAN}]{{1,12}}(?:日报|晚报|早报|晨报|商报|时报|都市报|周报|农民报|工人报|青年报)"
# The masthead: the name alone on its line.
_MASTHEAD = re.compile(rf"^\s*(?P<name>{_PAPER})\s*$")
# A page header: the name, then the date or the page.
_PAGE_HEADER = re.compile(
    rf"^\s*(?P<name>{_PAPER})\s+(?:(?:19|20)\d{{2}}\s*年|第\s*[A-Z]?[\d一二三四五六七八九十]+\s*版|[A-Z]\d{{1,2}}\s*版)"
)
# The source line of a web edition.
_WEB_SOURCE = re.compile(
    rf"^\s*《\s*(?P<name>[{HAN}]{{2,12}})\s*》\s*[（(]\s*(?:19|20)\d{{2}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日"
    r"\s*(?:第\s*)?[A-Z]?\d{1,3}\s*版\s*[)）]\s*$"
)
# A masthead stands above the first article: only the top of the dump is read for it.
MASTHEAD_LINES = 12


def printed_names(text: str) -> list[str]:
    """The names of papers the dump prints as its own, in order of appearance, each once."""
    names: list[str] = []
    nonblank = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        nonblank += 1
        match = _PAGE_HEADER.match(line) or _WEB_SOURCE.match(line)
        if match is None and nonblank <= MASTHEAD_LINES:
            match = _MASTHEAD.match(line)
        if match is not None and match.group("name") not in names:
            names.append(match.group("name"))
    return names
