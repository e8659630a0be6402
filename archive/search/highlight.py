"""Marks and snippets for search results.

A mark covers the query's own text first: 养老服务 marks 养老服务, not the
longer word 养老服务体系 it stands in. Only where a term's whole text does not
occur in the passage shown are its words marked instead (包车游 marks 包车
when the text says 包车 and 游 apart), and then only words of two characters
or more, so that a lone 游 does not light up 导游. A Latin word or number must
stand alone (``art`` is not in ``party``). Snippets are cut at the word
boundaries the index's own tokenizer finds (rjieba cuts a thousand
characters in well under a millisecond). Everything between marks is
HTML-escaped; the result is safe to put in a page.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.parsing.charsets import CJK, CJK_CHARACTER
from archive.search.analysis import fold, query_words, word_tokens

SNIPPET_LENGTH = 140
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
# Spaces between Chinese characters of a phrase ("社会 救助") are not in the text.
_CJK_GAP = re.compile(f"(?<=[{CJK}])\\s+(?=[{CJK}])")
ELLIPSIS = "…"


def _latin_at(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalnum()


def _occurrences(folded: str, terms: set[str]) -> list[tuple[int, int]]:
    """Where the query words occur in the folded text; a Latin word or number
    only where it is not part of a longer one (``art`` is not in ``party``)."""
    spans = []
    for term in terms:
        cjk = bool(CJK_CHARACTER.search(term))
        index = folded.find(term)
        while index != -1:
            end = index + len(term)
            if cjk or (not _latin_at(folded, index - 1) and not _latin_at(folded, end)):
                spans.append((index, end))
            index = folded.find(term, index + 1)
    return sorted(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` sorted, those that overlap or touch joined into one."""
    merged: list[tuple[int, int]] = []
    for span_start, span_end in sorted(spans):
        if merged and span_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(span_end, merged[-1][1]))
        else:
            merged.append((span_start, span_end))
    return merged


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
    return _merge(widened), [*starts, end]


def _whole(term: str) -> str:
    return _CJK_GAP.sub("", fold(term).strip())


def _pieces(term: str) -> set[str]:
    """The words of a term that may be marked when the term itself is absent."""
    words = query_words(term)
    if len(words) <= 1:
        return set()
    return {word for word in words if len(word) > 1}


def _marks(folded: str, terms: set[str], start: int, end: int) -> list[tuple[int, int]]:
    """Spans of ``folded[start:end]`` to mark: each term's own text, or its
    words where the whole term does not occur there; merged."""
    spans = []
    for term in terms:
        whole = [(s, e) for s, e in _occurrences(folded, {_whole(term)}) if s >= start and e <= end]
        if not whole:
            whole = [(s, e) for s, e in _occurrences(folded, _pieces(term)) if s >= start and e <= end]
        spans += whole
    return _merge(spans)


def _candidates(folded: str, terms: set[str]) -> list[tuple[int, int]]:
    """Everything any mark could cover, for choosing the passage."""
    wanted = {_whole(term) for term in terms} | {piece for term in terms for piece in _pieces(term)}
    return _occurrences(folded, {word for word in wanted if word})


def matched_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of ``text`` to mark for the query terms ``terms``
    (each as typed: a word or a phrase); see the module's description."""
    terms = {term for term in terms if term and term.strip()}
    if not text or not terms:
        return []
    return _marks(fold(text), terms, 0, len(text))


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
    terms = {term for term in terms if term and term.strip()}
    spans = _candidates(folded, terms) if terms else []
    if len(text) <= length:
        return mark_safe(_render(text, _marks(folded, terms, 0, len(text)) if terms else []))
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
    marks = _marks(folded, terms, start, end) if terms else []
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return mark_safe(f"{prefix}{_render(text, marks, start, end).strip()}{suffix}")
