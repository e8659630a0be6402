"""How an article printed without a headline is named in lists, pages and citations.

Photo news runs under a caption alone. Its title is ``图片新闻：`` and the
caption's first clause that says what happens, skipping the date or setting
that opens it ("11月20日，在江苏省南京市某社区，民警向居民讲解…" is named
"民警向居民讲解…"). A clause is never cut inside quotes or brackets.
"""

from __future__ import annotations

import re

PHOTO_PREFIX = "图片新闻："
# A title longer than this is cut, at a clause or quote boundary where one is near.
MAX_TITLE_CHARS = 30
CLAUSE_ENDS = frozenset("，,。；;！？!?：:")
OPENING = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』", "（": "）", "(": ")", "【": "】", '"': '"'}
# Clauses that only set the scene of a caption: a date, a time word, a place ("在…").
_SETTING = re.compile(
    r"^(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:[上下]午|晚|早)?|(?:\d{1,2}月)?\d{1,2}日(?:[上下]午|晚)?"
    r"|日前|近日|昨日|昨天|今日|今天|当日|当天|连日来|近期|目前|当晚|当天上午|当天下午"
    r"|在.{1,30}|为.{1,40})$"
)


def clauses(text: str) -> list[str]:
    """``text`` split at clause punctuation that stands outside quotes and brackets."""
    parts, current, closing = [], [], []
    for char in text:
        if closing and char == closing[-1]:
            closing.pop()
            current.append(char)
            continue
        if char in OPENING and not (char == '"' and closing and closing[-1] == '"'):
            closing.append(OPENING[char])
            current.append(char)
            continue
        if char in CLAUSE_ENDS and not closing:
            if current:
                parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    if current and "".join(current).strip():
        parts.append("".join(current).strip())
    return [part for part in parts if part]


def shorten(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    """``text`` within ``limit`` characters, cut outside any quotes, with "…" when cut."""
    if len(text) <= limit:
        return text
    closing: list[str] = []
    last_safe = 0
    for index, char in enumerate(text[:limit]):
        if closing and char == closing[-1]:
            closing.pop()
        elif char in OPENING:
            closing.append(OPENING[char])
        if not closing:
            last_safe = index + 1
    # Nothing outside quotes within the limit: the quote is the title, whole.
    cut = last_safe if last_safe else _end_of_quote(text)
    return text[:cut].rstrip() + ("…" if cut < len(text) else "")


def _end_of_quote(text: str) -> int:
    closing: list[str] = []
    for index, char in enumerate(text):
        if closing and char == closing[-1]:
            closing.pop()
            if not closing:
                return index + 1
        elif char in OPENING:
            closing.append(OPENING[char])
    return len(text)


def caption_title(caption: str) -> str:
    """The title of a photo printed with ``caption`` and no headline."""
    found = clauses(caption.strip())
    if not found:
        return PHOTO_PREFIX.rstrip("：")
    chosen = next((clause for clause in found if not _SETTING.match(clause)), found[0])
    return PHOTO_PREFIX + shorten(chosen)


def untitled_title(first_paragraph: str) -> str:
    """An untitled text other than a photo: its opening words."""
    return shorten(first_paragraph.strip())
