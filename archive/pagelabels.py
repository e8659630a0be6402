"""Printed page labels (版面): "第3版 要闻", "A03 / 城事", "第二版", "要闻".

The parser keeps a page header as the article's section name. This module
reads the page's printed number and name back out of it, for the page view of
an issue, citations ("(3)", "p. 3") and continuation marks ("下转第3版").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHINESE_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_LABEL = re.compile(
    r"^\s*(?:第\s*(?P<letter>[A-Z]?)\s*(?P<number>[\d〇零一二三四五六七八九十]+)\s*版"
    r"|(?P<letter2>[A-Z])\s*(?P<number2>\d{1,2})\s*版?(?=[\s/／|｜·•]|$))"
    r"\s*[/／|｜·•]?\s*(?P<name>.*?)\s*$"
)


def chinese_number(text: str) -> int | None:
    """12, "12", "十二", "二十三" -> int; None when it is no number."""
    if text.isdigit():
        return int(text)
    if not text or any(char not in CHINESE_DIGITS and char != "十" for char in text):
        return None
    if "十" in text:
        tens, _, units = text.partition("十")
        return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[units] if units else 0)
    value = 0
    for char in text:
        value = value * 10 + CHINESE_DIGITS[char]
    return value


@dataclass(frozen=True)
class PageLabel:
    number: str  # "3", "A3"; "" when the label names no page number
    name: str  # "要闻"; "" when it names none

    @property
    def printed(self) -> str:
        """How the paper names the page: 第3版, A3版."""
        if not self.number:
            return ""
        return f"{self.number}版" if self.number[0].isalpha() else f"第{self.number}版"

    def __str__(self):
        return " ".join(part for part in (self.printed, self.name) if part)


def parse_page_label(text: str | None) -> PageLabel | None:
    """The page number and name of a section label; None for no label."""
    if not text or not text.strip():
        return None
    match = _LABEL.match(text)
    if match is None:
        return PageLabel("", text.strip())
    letter = match["letter"] or match["letter2"] or ""
    digits = match["number"] or match["number2"]
    number = chinese_number(digits)
    return PageLabel(f"{letter}{number if number is not None else digits}", match["name"] or "")


def page_number(text: str | None) -> str:
    """ "第3版" -> "3", "A03 要闻" -> "A3", a bare name -> ""."""
    label = parse_page_label(text)
    return label.number if label else ""
