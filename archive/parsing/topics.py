"""Topics and keywords of an article.

Words come from rjieba (fast enough to cut whole issues at several MB/s)
with the regional dictionary of place and institution names added, so that
赛罕区 or 昭君博物院 stay one word. Keywords are ranked by TF-IDF against
jieba's IDF table; the topic is the one whose weighted lexicon the article
uses most, with the headline counting more than the body.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

import jieba.analyse
import rjieba

from archive.parsing.document import TOPICS

DICTIONARY_DIR = Path(__file__).resolve().parent.parent / "dictionaries"
PLACES_FILE = DICTIONARY_DIR / "places.txt"
TOPICS_FILE = DICTIONARY_DIR / "topics.txt"
STOPWORDS_FILE = DICTIONARY_DIR / "stopwords.txt"
IDF_FILE = Path(jieba.analyse.__file__).resolve().parent / "idf.txt"

MIN_KEYWORDS = 3
MAX_KEYWORDS = 8
DEFAULT_KEYWORDS = 5
# Words in the title say more about the article than the same words in the body.
TITLE_WEIGHT = 3
# A second topic is listed when it scores at least this share of the first.
SECONDARY_TOPIC_SHARE = 0.5
MAX_TOPICS = 3
FALLBACK_TOPIC = "社会"
# Frequency given to dictionary words jieba does not know: enough to keep them whole.
LEXICON_FREQUENCY = 1000
# Lexicon terms can span up to this many tokens of the cut ("社会" + "救助").
_MAX_TERM_TOKENS = 3
# Counts and ordinals ("第五次", "百分之十二", "一季度") describe no subject.
_NUMBER_WORD = re.compile(
    r"^(?:第|百分之|余)|^[零〇一二三四五六七八九十百千万亿两几半]+[个次年月日天季度届期批项名家人元]?$"
)
_WORD = re.compile(r"^(?:[\u4e00-\u9fff]{2,}|[\u4e00-\u9fff]*[A-Za-z][A-Za-z0-9+\-]*[\u4e00-\u9fff]*)$")


def _dictionary_lines(path: Path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line.split()


@functools.cache
def place_names() -> frozenset[str]:
    """The regional place and institution names of ``places.txt``."""
    return frozenset(fields[0] for fields in _dictionary_lines(PLACES_FILE))


@functools.cache
def topic_lexicon() -> dict[str, list[tuple[str, int]]]:
    """word -> [(topic, weight)], from ``topics.txt``."""
    lexicon: dict[str, list[tuple[str, int]]] = {}
    for topic, word, weight in _dictionary_lines(TOPICS_FILE):
        if topic not in TOPICS:
            raise ValueError(f"{TOPICS_FILE.name}: {topic!r} is not one of the fixed topics")
        lexicon.setdefault(word, []).append((topic, int(weight)))
    return lexicon


@functools.cache
def tokenizer() -> rjieba.Jieba:
    """A jieba instance of its own that knows the regional names, loaded once."""
    instance = rjieba.Jieba()
    for fields in _dictionary_lines(PLACES_FILE):
        word = fields[0]
        frequency = int(fields[1]) if len(fields) > 1 else LEXICON_FREQUENCY
        tag = fields[2] if len(fields) > 2 else "nz"
        instance.add_word(word, frequency, tag)
    # Topic terms ("一网通办", "社会救助") are kept whole too, so they count as words.
    for word in topic_lexicon():
        if not instance.has_word(word):
            instance.add_word(word, LEXICON_FREQUENCY, "n")
    return instance


@functools.cache
def idf_table() -> tuple[dict[str, float], float]:
    table: dict[str, float] = {}
    with IDF_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            word, _, value = line.rstrip("\n").rpartition(" ")
            if word:
                table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2]


@functools.cache
def stopwords() -> frozenset[str]:
    return frozenset(fields[0] for fields in _dictionary_lines(STOPWORDS_FILE))


def cut(text: str) -> list[str]:
    # Dictionary words only: jieba's guesses at unknown words (HMM) cut names and
    # idioms into fragments ("知天" "而作") that make poor keywords.
    return tokenizer().cut(text, False)


def _lexicon_hits(tokens: list[str]):
    """Lexicon words among the tokens, including those the cut split in two or three."""
    lexicon = topic_lexicon()
    count = len(tokens)
    for start in range(count):
        word = tokens[start]
        if word in lexicon:
            yield word
        elif len(word) >= 3:
            # A compound the dictionary keeps whole ("春耕生产", "供热管网") still
            # names its topic by its head or its tail.
            for size in range(len(word) - 1, 1, -1):
                if word[:size] in lexicon:
                    yield word[:size]
                    break
                if word[-size:] in lexicon:
                    yield word[-size:]
                    break
        for width in range(2, _MAX_TERM_TOKENS + 1):
            if start + width > count:
                break
            word += tokens[start + width - 1]
            if word in lexicon:
                yield word


def classify(title_tokens: list[str], body_tokens: list[str]) -> list[str]:
    """The article's topics from the fixed list, primary topic first."""
    lexicon = topic_lexicon()
    scores: Counter[str] = Counter()
    for tokens, factor in ((title_tokens, TITLE_WEIGHT), (body_tokens, 1)):
        for word in _lexicon_hits(tokens):
            for topic, weight in lexicon[word]:
                scores[topic] += weight * factor
    if not scores:
        return [FALLBACK_TOPIC]
    # Ties go to the order of the fixed list, so the result is stable.
    ranked = sorted(scores.items(), key=lambda item: (-item[1], TOPICS.index(item[0])))
    best = ranked[0][1]
    return [topic for topic, score in ranked[:MAX_TOPICS] if score >= best * SECONDARY_TOPIC_SHARE]


def keywords(title_tokens: list[str], body_tokens: list[str], count: int = DEFAULT_KEYWORDS) -> list[str]:
    """The ``count`` words with the highest TF-IDF, title words counting more."""
    table, median = idf_table()
    ignored = stopwords()
    places = place_names()
    frequency: Counter[str] = Counter()
    for tokens, factor in ((title_tokens, TITLE_WEIGHT), (body_tokens, 1)):
        for token in tokens:
            if token in ignored or not _WORD.match(token) or _NUMBER_WORD.match(token):
                continue
            frequency[token] += factor
    if not frequency:
        return []
    total = sum(frequency.values())
    scored = []
    for word, hits in frequency.items():
        # Names from the regional dictionary are rare nationally but common here:
        # give them the median weight instead of the national one.
        idf = median if word in places else table.get(word, median)
        scored.append((hits / total * idf, word))
    scored.sort(key=lambda item: (-item[0], item[1]))
    wanted = max(MIN_KEYWORDS, min(MAX_KEYWORDS, count))
    return [word for _, word in scored[:wanted]]
