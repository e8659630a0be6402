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


def matched_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of ``text`` to mark for the query words ``terms``.

    A Chinese query word is found wherever its characters occur (however
    jieba cut the text there) and the mark is widened to the whole words it
    touches; a Latin word or number must be a whole token. Overlapping and
    adjacent spans are merged.
    """
    terms = {fold(term) for term in terms if term}
    if not text or not terms:
        return []
    folded = fold(text)
    tokens = word_tokens(folded, subwords=False)
    starts = [start for _position, _word, start, _end in tokens]
    ends = [end for _position, _word, _start, end in tokens]
    spans: list[tuple[int, int]] = []
    for term in terms:
        if _CJK.search(term):
            index = folded.find(term)
            while index != -1:
                spans.append((index, index + len(term)))
                index = folded.find(term, index + 1)
    latin = {term for term in terms if not _CJK.search(term)}
    if latin:
        for _position, word, start, end in word_tokens(folded, subwords=True):
            if word in latin:
                spans.append((start, end))
    widened = []
    for start, end in spans:
        first = bisect.bisect_right(starts, start) - 1
        last = bisect.bisect_left(ends, end)
        if first >= 0 and ends[first] > start:
            start = starts[first]
        if last < len(tokens) and starts[last] < end:
            end = ends[last]
        widened.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(widened):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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


def _word_boundaries(text: str) -> list[int]:
    return sorted({start for _position, _word, start, _end in word_tokens(fold(text), subwords=False)} | {len(text)})


def snippet(text: str, terms: Iterable[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """The passage of ``text`` with the most distinct matched words, at most
    about ``length`` characters, cut at sentence or word boundaries."""
    text = text.strip()
    if not text:
        return mark_safe("")
    spans = matched_spans(text, terms)
    if len(text) <= length:
        return mark_safe(_render(text, spans))
    sentences = [(0, 0)]
    for match in _SENTENCE_END.finditer(text):
        sentences[-1] = (sentences[-1][0], match.end())
        sentences.append((match.end(), match.end()))
    sentences[-1] = (sentences[-1][0], len(text))
    sentences = [(start, end) for start, end in sentences if end > start]

    folded = fold(text)

    def words_in(start, end):
        return {folded[s:e] for s, e in spans if s >= start and e <= end}

    best = None
    for index, (start, _end) in enumerate(sentences):
        stop = index
        while stop + 1 < len(sentences) and sentences[stop + 1][1] - start <= length:
            stop += 1
        end = sentences[stop][1]
        found = words_in(start, end)
        count = sum(1 for s, e in spans if s >= start and e <= end)
        score = (len(found), count, -index)
        if best is None or score > best[0]:
            best = (score, start, end)
        if not spans:
            break
    _score, start, end = best
    if end - start > length:
        # One long sentence: centre on its first match, cut at word starts.
        first = next((s for s, e in spans if s >= start and e <= end), start)
        boundaries = list(_word_boundaries(text[start:end]))
        window_start = max(start, first - length // 3)
        starts = [start + b for b in boundaries if start + b <= window_start]
        cut_start = starts[-1] if starts else start
        ends = [start + b for b in boundaries if start + b <= cut_start + length]
        cut_end = ends[-1] if ends and ends[-1] > cut_start else min(end, cut_start + length)
        start, end = cut_start, cut_end
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    body = _render(text, spans, start, end).strip()
    return mark_safe(f"{prefix}{body}{suffix}")
