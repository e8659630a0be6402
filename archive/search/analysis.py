"""Chinese analysis for Whoosh: jieba words with real token positions."""

from __future__ import annotations

import unicodedata

import jieba
from whoosh.analysis import LowercaseFilter, Token, Tokenizer


class ChineseTokenizer(Tokenizer):
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
        # NFKC folds full-width letters and digits one character to one, so
        # offsets into the folded text are offsets into the original.
        folded = "".join(unicodedata.normalize("NFKC", c) if len(unicodedata.normalize("NFKC", c)) == 1 else c for c in value)
        position = start_pos
        for word, start, end in jieba.tokenize(folded):
            if not word.strip():
                continue
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = position
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            position += 1
            yield token


def ChineseAnalyzer():
    return ChineseTokenizer() | LowercaseFilter()
