"""Whoosh analyzers made from the archive's own analysis.

:mod:`archive.search.analysis` cuts text into (position, word, start, end)
tokens without knowing any engine; the classes here hand those tokens to
Whoosh, for the Whoosh engine's schema and its query parser. The analyzers
are pickled into a Whoosh index's table of contents, so they are plain
classes without state.
"""

from __future__ import annotations

from whoosh.analysis import Analyzer, Token, Tokenizer

from archive.search.analysis import CHINESE_WORDS, fold, word_positions, word_tokens


class _ListTokenizer(Tokenizer):
    """Turns a token list into Whoosh tokens. ``mode="query"`` (the query
    parser) and ``mode="index"`` may cut differently."""

    def tokens(self, text: str, mode: str) -> list[tuple[int, str, int, int]]:
        raise NotImplementedError

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        folded = fold(value)
        if not tokenize:
            # A whole field value as one term (Whoosh's non-tokenized paths).
            token.original = token.text = folded
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        for position, word, start, end in self.tokens(folded, mode):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class ChineseWordTokenizer(_ListTokenizer):
    def tokens(self, text, mode):
        # Queries use the precise cut only: a query word's sub-words would
        # turn a phrase into alternatives at the same position.
        return word_tokens(text, subwords=mode != "query")


class _PicklableAnalyzer(Analyzer):
    tokenizer_class: type[_ListTokenizer]

    def __init__(self):
        self.tokenizer = self.tokenizer_class()

    def __call__(self, value, **kwargs):
        return self.tokenizer(value, **kwargs)

    def positions(self, value: str) -> dict[str, list[int]]:
        """Each word indexed for ``value`` with its positions: what Whoosh's
        positions format collects from this analyzer's tokens, without a
        token object per word (the bulk writer's path)."""
        found: dict[str, list[int]] = {}
        get = found.get
        for position, word, _start, _end in self.tokenizer.tokens(fold(value), "index"):
            positions = get(word)
            if positions is None:
                found[word] = [position]
            else:
                positions.append(position)
        return found

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))


class ChineseAnalyzer(_PicklableAnalyzer):
    """jieba words with word positions: the main full-text analyzer."""

    tokenizer_class = ChineseWordTokenizer

    def positions(self, value: str) -> dict[str, list[int]]:
        return word_positions(fold(value))


def analyzer_for(name):
    """The Whoosh analyzer for an index field's ``analyzer=`` (an analysis
    name such as :data:`~archive.search.analysis.CHINESE_WORDS`, or already
    a Whoosh analyzer); the word analyzer when none is given."""
    if name is None or name == CHINESE_WORDS:
        return ChineseAnalyzer()
    if isinstance(name, Analyzer):
        return name
    raise ValueError(f"unknown analysis {name!r} for the Whoosh engine")
