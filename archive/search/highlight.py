"""Marks and snippets for search results.

A query word is looked for in the folded text itself, then widened to the
words the index's own tokenizer cuts there (rjieba cuts a thousand
characters in well under a millisecond), so a mark always covers whole
words: 大学 in 大学生 marks 大学生, and 养老服务 is found even where the text
was cut 养老 / 服务. Everything between marks is
HTML-escaped; the result is safe to put in a page.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.search.analysis import fold, word_tokens

SNIPPET_LENGTH = 140
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ELLIPSIS = "…"


def _latin_at(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalnum()


def _occurrences(folded: str, terms: set[str]) -> list[tuple[int, int]]:
    """Where the query words occur in the folded text; a Latin word or number
    only where it is not part of a longer one (``art`` is not in ``party``)."""
    spans = []
    for term in terms:
        cjk = bool(_CJK.search(term))
        index = folded.find(term)
        while index != -1:
            end = index + len(term)
            if cjk or (not _latin_at(folded, index - 1) and not _latin_at(folded, end)):
                spans.append((index, end))
            index = folded.find(term, index + 1)
    return sorted(spans)


def _widen(folded: str, spans: list[tuple[int, int]], start: int, end: int):
    """Spans within ``folded[start:end]`` widened to whole words and merged,
    and the word starts there (cutting the text anywhere else could split a
    word)."""
    tokens = word_tokens(folded[start:end], subwords=False)
    starts = [start + token_start for _position, _word, token_start, _end in tokens]
    ends = [start + token_end for _position, _word, _start, token_end in tokens]
    widened = []
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        first = bisect.bisect_right(starts, span_start) - 1
        last = bisect.bisect_left(ends, span_end)
        if first >= 0 and ends[first] > span_start:
            span_start = starts[first]
        if last < len(tokens) and starts[last] < span_end:
            span_end = ends[last]
        widened.append((span_start, span_end))
    merged: list[tuple[int, int]] = []
    for span_start, span_end in sorted(widened):
        if merged and span_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(span_end, merged[-1][1]))
        else:
            merged.append((span_start, span_end))
    return merged, [*starts, end]


def matched_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of ``text`` to mark for the query words ``terms``.

    A Chinese query word is found wherever its characters occur (however
    jieba cut the text there) and the mark is widened to the whole words it
    touches; a Latin word or number must stand alone. Overlapping and
    adjacent spans are merged.
    """
    terms = {fold(term) for term in terms if term}
    if not text or not terms:
        return []
    folded = fold(text)
    spans = _occurrences(folded, terms)
    return _widen(folded, spans, 0, len(folded))[0] if spans else []


def _render(text: str, spans: list[tuple[int, int]], offset: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    parts = []
    cursor = offset
    for span_start, span_end in spans:
        if span_end <= offset or span_start >= end:
            continue
        span_start, span_end = max(span_start, offset), min(span_end, end)
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    return "".join(parts)


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """All of ``text`` with the matched words marked (for headlines)."""
    return mark_safe(_render(text, matched_spans(text, terms)))


def _sentences(text: str) -> list[tuple[int, int]]:
    sentences = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start:
            sentences.append((start, match.end()))
        start = match.end()
    if start < len(text):
        sentences.append((start, len(text)))
    return sentences


def snippet(text: str, terms: Iterable[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """The passage of ``text`` with the most distinct query words, at most
    about ``length`` characters, cut at sentence or word boundaries.

    Only the chosen passage is cut into words, so a long article costs little
    more than a short one."""
    text = text.strip()
    if not text:
        return mark_safe("")
    folded = fold(text)
    terms = {fold(term) for term in terms if term}
    spans = _occurrences(folded, terms) if terms else []
    if len(text) <= length:
        return mark_safe(_render(text, _widen(folded, spans, 0, len(text))[0] if spans else []))
    sentences = _sentences(text)
    best = None
    for index, (start, _end) in enumerate(sentences):
        stop = index
        while stop + 1 < len(sentences) and sentences[stop + 1][1] - start <= length:
            stop += 1
        end = sentences[stop][1]
        inside = [(s, e) for s, e in spans if s >= start and e <= end]
        score = (len({folded[s:e] for s, e in inside}), len(inside), -index)
        if best is None or score > best[0]:
            best = (score, start, end)
        if not spans:
            break
    _score, start, end = best
    if end - start > length:
        # One long sentence: start a little before its first match.
        first = next((s for s, e in spans if s >= start and e <= end), start)
        window_start = max(start, first - length // 3)
        _spans, boundaries = _widen(folded, [], max(start, window_start - 20), min(end, window_start + length + 20))
        starts = [b for b in boundaries if b <= window_start] or [boundaries[0]]
        cut_start = starts[-1]
        ends = [b for b in boundaries if cut_start < b <= cut_start + length]
        cut_end = ends[-1] if ends else min(end, cut_start + length)
        start, end = cut_start, cut_end
    marks = _widen(folded, spans, start, end)[0] if spans else []
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return mark_safe(f"{prefix}{_render(text, marks, start, end).strip()}{suffix}")
