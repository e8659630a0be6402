"""Character ranges, written once for the parser and for search.

``HAN`` is the block of CJK Unified Ideographs, the characters of modern
Chinese text: the parser's patterns (names, headlines, mastheads) use it.
``CJK`` adds Extension A and the compatibility ideographs that old type and
OCR produce; search treats every character in it as Chinese when it cuts text
into words and marks matches.
"""

from __future__ import annotations

import re

HAN = "\u4e00-\u9fff"
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHARACTER = re.compile(f"[{CJK}]")


def is_cjk(character: str) -> bool:
    """Whether one character is a Chinese ideograph (see ``CJK``)."""
    return "\u4e00" <= character <= "\u9fff" or "\u3400" <= character <= "\u4dbf" or "\uf900" <= character <= "\ufaff"
