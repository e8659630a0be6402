"""Topics and keywords of an article.

Words come from rjieba (fast enough to cut whole issues at several MB/s)
with the regional dictionary of place and institution names added, so that
赛罕区 or 昭君博物院 stay one word. Keywords are ranked by TF-IDF against
jieba's IDF table; the topic is the one whose weighted lexicon the article
uses most, with the headline counting more than the body.
"""

from __future__ import annotations

import functools
import heapq
import importlib.util
import re
from collections import Counter
from pathlib import Path

import rjieba

from archive.parsing.charsets import HAN
from archive.parsing.document import TOPICS

DICTIONARY_DIR = Path(__file__).resolve().parent.parent / "dictionaries"
PLACES_FILE = DICTIONARY_DIR / "places.txt"
TOPICS_FILE = DICTIONARY_DIR / "topics.txt"
STOPWORDS_FILE = DICTIONARY_DIR / "stopwords.txt"
# jieba's IDF table is read as a plain file: importing jieba.analyse would load
# Whoosh's analysis modules into the parser, which is pure Python on purpose.
IDF_FILE = Path(importlib.util.find_spec("jieba").submodule_search_locations[0]) / "analyse" / "idf.txt"

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
# Distinct tokens whose analysis is remembered; a day's vocabulary fits easily.
_TOKEN_CACHE_SIZE = 200_000
# Lexicon terms can span up to this many tokens of the cut ("社会" + "救助").
_MAX_TERM_TOKENS = 3
# Counts and ordinals ("第五次", "百分之十二", "一季度") describe no subject.
_NUMBER_WORD = re.compile(
    r"^(?:第|百分之|余)|^[零〇一二三四五六七八九十百千万亿两几半]+[个次年月日天季度届期批项名家人元]?$"
)
_WORD = re.compile(rf"^(?:[{HAN}]{{2,}}|[{HAN}]*[A-Za-z][A-Za-z0-9+\-]*[{HAN}]*)$")


def dictionary_lines(path: Path):
    """The entries of one of ``archive/dictionaries/``: whitespace-separated
    fields, without blank lines and ``#`` comments."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line.split()


@functools.cache
def place_names() -> frozenset[str]:
    """The regional place and institution names of ``places.txt``."""
    return frozenset(fields[0] for fields in dictionary_lines(PLACES_FILE))


@functools.cache
def topic_lexicon() -> dict[str, list[tuple[str, int]]]:
    """word -> [(topic, weight)], from ``topics.txt``."""
    lexicon: dict[str, list[tuple[str, int]]] = {}
    for topic, word, weight in dictionary_lines(TOPICS_FILE):
        if topic not in TOPICS:
            raise ValueError(f"{TOPICS_FILE.name}: {topic!r} is not one of the fixed topics")
        lexicon.setdefault(word, []).append((topic, int(weight)))
    return lexicon


@functools.cache
def tokenizer() -> rjieba.Jieba:
    """A jieba instance of its own that knows the regional names, loaded once."""
    instance = rjieba.Jieba()
    for fields in dictionary_lines(PLACES_FILE):
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
    return frozenset(fields[0] for fields in dictionary_lines(STOPWORDS_FILE))


def cut(text: str) -> list[str]:
    # Dictionary words only: jieba's guesses at unknown words (HMM) cut names and
    # idioms into fragments ("知天" "而作") that make poor keywords.
    return tokenizer().cut(text, False)


@functools.cache
def _lexicon_prefixes() -> frozenset[str]:
    """Proper prefixes of lexicon terms: where a term split over several tokens may begin."""
    return frozenset(word[:end] for word in topic_lexicon() for end in range(1, len(word)))


@functools.lru_cache(maxsize=_TOKEN_CACHE_SIZE)
def _term_in_token(token: str) -> str | None:
    """The lexicon term a single token names: itself, or the head or tail of a compound.

    A compound the dictionary keeps whole ("春耕生产", "供热管网") still names its
    topic by its head or its tail.
    """
    lexicon = topic_lexicon()
    if token in lexicon:
        return token
    for size in range(len(token) - 1, 1, -1):
        if token[:size] in lexicon:
            return token[:size]
        if token[-size:] in lexicon:
            return token[-size:]
    return None


def _lexicon_hits(tokens: list[str]) -> Counter[str]:
    """How often each lexicon term occurs, including terms the cut split into two or three tokens."""
    lexicon = topic_lexicon()
    prefixes = _lexicon_prefixes()
    hits: Counter[str] = Counter()
    for token, count in Counter(tokens).items():
        term = _term_in_token(token)
        if term is not None:
            hits[term] += count
    starts = [position for position, token in enumerate(tokens) if token in prefixes]
    for start in starts:
        word = tokens[start]
        for following in tokens[start + 1 : start + _MAX_TERM_TOKENS]:
            word += following
            if word in lexicon:
                hits[word] += 1
            if word not in prefixes:
                break
    return hits


@functools.lru_cache(maxsize=_TOKEN_CACHE_SIZE)
def _is_keyword_candidate(token: str) -> bool:
    return token not in stopwords() and bool(_WORD.match(token)) and not _NUMBER_WORD.match(token)


def _topics(title_hits: Counter[str], body_hits: Counter[str]) -> list[str]:
    lexicon = topic_lexicon()
    scores: Counter[str] = Counter()
    for hits, factor in ((title_hits, TITLE_WEIGHT), (body_hits, 1)):
        for word, count in hits.items():
            for topic, weight in lexicon[word]:
                scores[topic] += weight * factor * count
    if not scores:
        return [FALLBACK_TOPIC]
    # Ties go to the order of the fixed list, so the result is stable.
    ranked = sorted(scores.items(), key=lambda item: (-item[1], TOPICS.index(item[0])))
    best = ranked[0][1]
    return [topic for topic, score in ranked[:MAX_TOPICS] if score >= best * SECONDARY_TOPIC_SHARE]


def _keywords(title_tokens: list[str], body_tokens: list[str], count: int) -> list[str]:
    table, median = idf_table()
    places = place_names()
    frequency: Counter[str] = Counter()
    for tokens, factor in ((title_tokens, TITLE_WEIGHT), (body_tokens, 1)):
        for token, hits in Counter(tokens).items():
            if _is_keyword_candidate(token):
                frequency[token] += hits * factor

    def rank(word: str) -> tuple[float, str]:
        # Names from the regional dictionary are rare nationally but common here:
        # give them the median weight instead of the national one.
        idf = median if word in places else table.get(word, median)
        # Highest TF-IDF first; among equals the word sorting first, so the result is stable.
        return -frequency[word] * idf, word

    return heapq.nsmallest(max(MIN_KEYWORDS, min(MAX_KEYWORDS, count)), frequency, key=rank)


# Characters only traditional script uses, common enough that a few of them in
# an article tell it is printed in traditional characters (Hong Kong, Taiwan).
_TRADITIONAL_MARKERS = re.compile(
    r"[們這個來說為會對與國學動過還發現後從實經關門間無麼樣體讓區縣長東進報記開時當將應總]"
)
TRADITIONAL_MIN_MARKERS = 3


@functools.cache
def _to_simplified() -> dict[int, str]:
    """Traditional to simplified, character for character (zhconv's single-character table)."""
    import zhconv

    return {
        ord(source): target
        for source, target in zhconv.zhconv.getdict("zh-hans").items()
        if len(source) == 1 and len(target) == 1
    }


def _as_printed(tokens: list[str], folded_text: str, text: str) -> dict[str, str]:
    """Each token of the folded text mapped to the same characters of the printed text."""
    printed: dict[str, str] = {}
    position = folded_text.find(tokens[0]) if tokens else 0
    for token in tokens:
        printed.setdefault(token, text[position : position + len(token)])
        position += len(token)
    return printed


def analyse(title: str, body: str, keyword_count: int = DEFAULT_KEYWORDS) -> tuple[list[str], list[str]]:
    """Topics (primary first, from the fixed list) and keywords of an article.

    Keywords are the words with the highest TF-IDF, title words counting
    ``TITLE_WEIGHT`` times; the topic is the one whose lexicon scores highest.
    Text in traditional characters is read through its simplified form, which
    the dictionaries know; its keywords are given as printed.
    """
    traditional = len(_TRADITIONAL_MARKERS.findall(title + body[:2000])) >= TRADITIONAL_MIN_MARKERS
    folded_title, folded_body = (
        (title.translate(_to_simplified()), body.translate(_to_simplified())) if traditional else (title, body)
    )
    title_tokens, body_tokens = cut(folded_title), cut(folded_body)
    topics = _topics(_lexicon_hits(title_tokens), _lexicon_hits(body_tokens))
    keywords = _keywords(title_tokens, body_tokens, keyword_count)
    if traditional:
        printed = _as_printed(body_tokens, folded_body, body) | _as_printed(title_tokens, folded_title, title)
        keywords = [printed.get(word, word) for word in keywords]
    return topics, keywords
