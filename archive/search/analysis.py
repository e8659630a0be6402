"""Chinese text analysis for the search index, shared by indexing and queries.

Three rules make phrases, names and mixed text findable:

* Text is folded one character to one character (full-width to half-width,
  compatibility forms, lower case, traditional to simplified), so a token's
  character offsets in the folded text are its offsets in the original, which
  highlighting relies on.
* Positions count words, not characters: a word of jieba's precise cut takes
  one position, and the shorter dictionary words inside it (search mode) share
  that position, so "召开会议" is the phrase 召开 at n, 会议 at n+1 whether or
  not either word was also split further.
* Nothing is dropped except whitespace and punctuation: single characters,
  digits and Latin words are tokens (``ESP32`` → ``esp32``, ``97.6%`` →
  ``97.6``), never stemmed.

The same rjieba instance, with the regional dictionary and reporter names
added (see :mod:`archive.search.dictionary`), cuts documents and queries.

This module is pure analysis (text in, tokens out) and imports no search
engine: :mod:`archive.search.whoosh_analysis` turns the tokens into Whoosh
analyzers, and the OpenSearch engine sends them pre-cut
(:func:`precut_text`). Index fields name their analysis by
:data:`CHINESE_WORDS`.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from archive.parsing.charsets import is_cjk
from archive.search.dictionary import segmenter
from archive.search.dictionary import version as dictionary_version

# The analysis a search index field asks for (``analyzer=`` of a haystack
# field): jieba words with word positions. Each engine maps the name.
CHINESE_WORDS = "chinese_words"

_HAS_WORD_CHAR = re.compile(r"[^\W_]")
# Punctuation kept inside a Latin or number token (97.6, covid-19, c++) but
# trimmed from its ends.
_EDGE_PUNCTUATION = ".,%-_&'/:"
_INNER_SPLIT = re.compile(r"[\W_]+")


@functools.cache
def fold_table() -> dict[int, str]:
    """One character to one character: NFKC where it stays one character,
    then lower case, then traditional to simplified (zhconv's single-character
    table). Built once per process from the whole Basic Multilingual Plane."""
    import zhconv

    to_simplified = {
        source: target
        for source, target in zhconv.zhconv.getdict("zh-hans").items()
        if len(source) == 1 and len(target) == 1
    }
    table: dict[int, str] = {}
    for codepoint in range(0x80, 0x10000):
        if 0xD800 <= codepoint <= 0xDFFF:
            continue
        character = chr(codepoint)
        folded = unicodedata.normalize("NFKC", character)
        if len(folded) != 1:
            folded = character
        lowered = folded.lower()
        if len(lowered) == 1:
            folded = lowered
        folded = to_simplified.get(folded, folded)
        if folded != character:
            table[codepoint] = folded
    for codepoint in range(ord("A"), ord("Z") + 1):
        table[codepoint] = chr(codepoint + 32)
    # Ideographic and other spaces become a plain space.
    table[0x3000] = " "
    return table


def fold(text: str) -> str:
    """Fold ``text`` for matching; ``len(fold(text)) == len(text)`` always."""
    return text.translate(fold_table())


def _latin_parts(word: str, start: int, subwords: bool) -> list[tuple[str, int, int]]:
    """A non-CJK word trimmed of edge punctuation, plus (when indexing) its
    parts where inner punctuation splits it (``covid-19`` → ``covid``, ``19``)."""
    trimmed = word.strip(_EDGE_PUNCTUATION)
    if not trimmed or not _HAS_WORD_CHAR.search(trimmed):
        return []
    offset = start + word.index(trimmed)
    tokens = [(trimmed, offset, offset + len(trimmed))]
    parts = _INNER_SPLIT.split(trimmed)
    if subwords and len(parts) > 1 and not re.fullmatch(r"[0-9.]+", trimmed):
        cursor = 0
        for part in parts:
            if not part:
                continue
            index = trimmed.index(part, cursor)
            cursor = index + len(part)
            tokens.append((part, offset + index, offset + cursor))
    return tokens


# A long word's dictionary sub-words, and what a word of the cut indexes,
# by word: the same words recur across articles, and each sub-word candidate
# is a call into rjieba. Emptied whenever the dictionary gains words (a new
# name can be a sub-word).
_subword_cache: dict[str, tuple[tuple[str, int], ...]] = {}
_index_terms_cache: dict[str, tuple[str, ...]] = {}
_cache_version = -1
WORD_CACHE_SIZE = 200_000


def _check_caches() -> None:
    global _cache_version
    version = dictionary_version()
    if version != _cache_version:
        _subword_cache.clear()
        _index_terms_cache.clear()
        _cache_version = version
    for cache in (_subword_cache, _index_terms_cache):
        if len(cache) > WORD_CACHE_SIZE:
            cache.clear()


def _subword_table() -> dict[str, tuple[tuple[str, int], ...]]:
    _check_caches()
    return _subword_cache


def _find_subwords(word: str, has_word) -> tuple[tuple[str, int], ...]:
    """(part, offset in word) of every distinct dictionary word inside
    ``word``, shortest first, as jieba's search mode finds them."""
    length = len(word)
    seen = {word}
    found = []
    for size in range(2, length):
        for index in range(length - size + 1):
            part = word[index : index + size]
            if part not in seen and has_word(part):
                seen.add(part)
                found.append((part, index))
    return tuple(found)


def word_tokens(text: str, *, subwords: bool) -> list[tuple[int, str, int, int]]:
    """(position, word, start, end) for folded ``text``.

    With ``subwords`` (indexing), the dictionary words inside a long word are
    added at that word's position, as jieba's search mode finds them.
    """
    jieba = segmenter()
    has_word = jieba.has_word
    table = _subword_table() if subwords else None
    tokens: list[tuple[int, str, int, int]] = []
    append = tokens.append
    position = 0
    for word, start, end in jieba.tokenize(text, hmm=True):
        first = word[0]
        if is_cjk(first):
            # jieba keeps a run of Chinese characters apart from anything else.
            append((position, word, start, end))
            if table is not None and end - start > 2:
                parts = table.get(word)
                if parts is None:
                    parts = table[word] = _find_subwords(word, has_word)
                for part, index in parts:
                    append((position, part, start + index, start + index + len(part)))
        else:
            if len(word) == 1 and not word.isalnum():
                continue
            parts = _latin_parts(word, start, subwords)
            if not parts:
                continue
            for part, part_start, part_end in parts:
                append((position, part, part_start, part_end))
        position += 1
    return tokens


def _index_terms(word: str, has_word) -> tuple[str, ...]:
    """The terms one word of the cut is indexed as (at one position); none
    for a word that takes no position (spaces, punctuation)."""
    first = word[0]
    if is_cjk(first):
        if len(word) <= 2:
            return (word,)
        return (word, *(part for part, _index in _find_subwords(word, has_word)))
    if len(word) == 1 and not word.isalnum():
        return ()
    return tuple(part for part, _start, _end in _latin_parts(word, 0, True))


def word_positions(text: str) -> dict[str, list[int]]:
    """Each word ``word_tokens(text, subwords=True)`` gives, with its
    positions, in first-seen order; without offsets (what an index stores),
    so it does less work per word."""
    jieba = segmenter()
    has_word = jieba.has_word
    _check_caches()
    table = _index_terms_cache
    found: dict[str, list[int]] = {}
    get = found.get
    position = 0
    for word in jieba.cut(text, hmm=True):
        terms = table.get(word)
        if terms is None:
            terms = table[word] = _index_terms(word, has_word)
            if not terms:
                continue
        elif not terms:
            continue
        for term in terms:
            positions = get(term)
            if positions is None:
                found[term] = [position]
            else:
                positions.append(position)
        position += 1
    return found


# Words on each side of a sub-word in its pre-cut context (see precut_text):
# a phrase of up to this many words plus one that runs through a sub-word
# matches as it does in the Whoosh index.
PRECUT_CONTEXT = 4


def precut_text(text: str, context: int = PRECUT_CONTEXT) -> list[str]:
    """``text`` cut for a search server whose field splits on whitespace
    only, as values of one multi-valued field.

    The first value is the words of the precise cut, one per position, so
    the server's positions are the word positions of :func:`word_tokens`.
    A server's whitespace analysis cannot put a second word at the same
    position, so each sub-word (大学 in 大学生, ``19`` in ``covid-19``) is a
    further value: the sub-word between up to ``context`` words on each side.
    Values are kept apart by the field's position gap, so a phrase matches
    inside one value: the words in a row, or through one sub-word with the
    words around it. Queries are cut with :func:`query_words`.
    """
    words: list[str] = []
    alternatives: list[tuple[int, str]] = []
    for position, word, _start, _end in word_tokens(fold(text), subwords=True):
        if position == len(words):
            words.append(word)
        else:
            alternatives.append((position, word))
    values = [" ".join(words)]
    seen = set()
    for position, word in alternatives:
        window = " ".join(
            (*words[max(0, position - context) : position], word, *words[position + 1 : position + 1 + context])
        )
        if window not in seen:
            seen.add(window)
            values.append(window)
    return values


def query_words(text: str) -> list[str]:
    """The index terms a query string stands for, in order (for highlighting)."""
    return [word for _position, word, _start, _end in word_tokens(fold(text), subwords=False)]


def __getattr__(name):
    # Whoosh indexes written before the analyzers moved name them here in
    # their pickled schema; they unpickle from the Whoosh adapter module.
    if name in ("ChineseAnalyzer", "ChineseWordTokenizer"):
        from archive.search import whoosh_analysis

        return getattr(whoosh_analysis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
