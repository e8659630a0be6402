"""Turn the bytes of an issue file into text, or say plainly why not.

Dumps arrive as UTF-8 (with or without a BOM), GB18030/GBK from older
systems, or UTF-16 with a BOM from Windows tools. Anything else is refused
by name rather than guessed at, because a wrong guess silently corrupts the
archive.
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata


class DecodeError(ValueError):
    """The bytes are not an issue text we can read; the message says why."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Share of characters that must look like text (CJK, ASCII, punctuation,
# whitespace) before a GB18030 decoding is believed: GB18030 maps nearly any
# byte sequence to *something*, so success alone proves nothing.
_PLAUSIBLE_TEXT_SHARE = 0.95


def _is_plausible_char(char: str) -> bool:
    if char in "\n\r\t " or (" " <= char <= "~"):
        return True
    category = unicodedata.category(char)
    if category.startswith(("C",)):  # controls, unassigned, private use
        return False
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= code <= 0x4DBF  # extension A
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x2000 <= code <= 0x206F  # general punctuation (“”…—)
        or 0x2460 <= code <= 0x27BF  # enclosed numbers, shapes (■●★)
        or 0x00A0 <= code <= 0x024F  # Latin-1 and extended Latin
        or 0x0391 <= code <= 0x03C9  # Greek (units, formulae)
        or 0x2100 <= code <= 0x218F  # letterlike symbols, roman numerals
        or 0x3100 <= code <= 0x312F  # bopomofo
        or 0xFE30 <= code <= 0xFE4F  # CJK compatibility forms
        or 0x20000 <= code <= 0x2FA1F  # rarer ideographs
    )


def _plausible_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:200_000]
    return sum(map(_is_plausible_char, sample)) / len(sample)


def decode_issue_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` with newlines normalised to ``\\n``.

    Raises :class:`DecodeError` with a short reason a person can act on.
    """
    if not data or not data.strip():
        raise DecodeError("the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"broken {encoding} text after its byte-order mark ({exc.reason})") from exc
            if text.startswith("\ufeff"):
                text = text[1:]
            return _finish(text, encoding)
    if b"\x00" in data[:65536]:
        raise DecodeError("binary file (NUL bytes, and no UTF-16 byte-order mark)")
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise DecodeError("undecodable bytes: not UTF-8, GB18030/GBK or UTF-16 with a byte-order mark") from exc
    if _plausible_share(text) < _PLAUSIBLE_TEXT_SHARE:
        raise DecodeError("binary or unknown encoding: not UTF-8, GB18030/GBK or UTF-16 with a byte-order mark")
    return _finish(text, "gb18030")


def _finish(text: str, encoding: str) -> tuple[str, str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DecodeError("the file is empty")
    if _plausible_share(text) < _PLAUSIBLE_TEXT_SHARE:
        raise DecodeError(f"binary content ({encoding} decodes, but it is mostly control characters)")
    return text, encoding


def content_sha256(text: str) -> str:
    """Fingerprint of the decoded text, so a re-encoded copy is the same issue."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
