"""Searching the archive: what people type, filters, facets, pages, snippets.

The query language is small and never passed to the engine as typed:

* words separated by spaces must all match (AND); a run of Chinese without
  spaces is a phrase of its words;
* ``"exact phrase"`` (straight or curly quotes) matches the words in a row;
* ``OR`` (or ``|``) between two terms matches either;
* ``-word`` excludes; ``*`` alone matches every article;
* ``标题:word`` (or ``title:``, also before a quoted phrase) matches in the
  headline, kicker and subtitle only.

Terms become haystack ``SQ`` objects with ``Exact`` inputs, so the same code
drives any haystack engine. Filters are narrow queries, so facet counts can
leave one filter out at a time: each facet's counts respect the other
filters, and a set filter still shows its alternatives.
"""

from __future__ import annotations

import datetime
import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.safestring import SafeString
from haystack import connections
from haystack.inputs import Exact, Raw
from haystack.query import SQ, SearchQuerySet

from archive.caching import cached_value
from archive.models import Article, ArticleKind, Byline, Newspaper, Reporter, Topic
from archive.parsing.charsets import CJK_CHARACTER
from archive.search import SearchUnavailable, dictionary
from archive.search.analysis import query_words
from archive.search.highlight import highlight, snippet

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
FALLBACK_BOOST = 0.1
MAX_TERMS = 12
PER_PAGE = 20
MAX_PAGE = 500
SORTS = {"relevance": None, "newest": "-issue_date", "oldest": "issue_date"}
SORT_LABELS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}
# Facets shown on the search page: parameter name -> index field.
FACETS = ("paper", "year", "topic", "reporter", "kind", "section")
FACET_LIMIT = 12
# The dates a filter can name. The Whoosh backend writes a date as
# YYYYMMDD... without padding the year, so years before 1000 are misread
# (TimeError); an earlier "from" or a later "to" is the whole archive anyway.
INDEX_DATES = (datetime.date(1000, 1, 1), datetime.date(9999, 12, 31))
OPERATORS = {"AND", "OR", "NOT", "|", "&&", "||"}
_QUOTES = str.maketrans({"“": '"', "”": '"', "＂": '"', "「": '"', "」": '"', "『": '"', "』": '"'})


UNAVAILABLE_MESSAGE = "检索服务暂时无法使用，请稍后再试。"


class QueryError(ValueError):
    """Input the search cannot use; the message is for the reader."""


# The prefix that limits a term to the headline: 标题:养老 or title:养老.
TITLE_PREFIXES = ("标题:", "title:")


@dataclass
class Term:
    text: str
    phrase: bool = False
    in_title: bool = False


@dataclass
class ParsedQuery:
    """Groups are ANDed; the terms of a group are ORed."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    match_all: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded and not self.match_all

    def highlight_terms(self) -> set[str]:
        """The terms to mark, each as typed: the highlighter marks a term's
        own text, and its words only where the whole term is absent."""
        return {term.text for group in self.groups for term in group}


def clean_input(text: str) -> tuple[str, list[str]]:
    """Drop control characters, fold quotes and full-width forms, cap length."""
    notes = []
    cleaned = "".join(" " if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char for char in text or "")
    cleaned = unicodedata.normalize("NFKC", cleaned.translate(_QUOTES))
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    if len(cleaned) > MAX_QUERY_LENGTH:
        cleaned = cleaned[:MAX_QUERY_LENGTH]
        notes.append(f"检索词过长，只使用了前 {MAX_QUERY_LENGTH} 个字符。")
    return cleaned, notes


def parse_query(text: str) -> ParsedQuery:
    cleaned, notes = clean_input(text)
    parsed = ParsedQuery(notes=notes)
    if cleaned.count('"') % 2:
        parsed.notes.append("引号没有配对，已忽略多余的引号。")
        last = cleaned.rfind('"')
        cleaned = cleaned[:last] + " " + cleaned[last + 1 :]
    pieces: list[tuple[str, bool, bool, bool]] = []  # (text, phrase, negated, in title)
    for match in re.finditer(r'(-?)((?:标题|title):)?"([^"]*)"|(\S+)', cleaned, re.IGNORECASE):
        if match.group(4) is not None:
            word = match.group(4)
            negated = word.startswith("-") and len(word) > 1
            word = word[1:] if negated else word
            in_title = word.lower().startswith(TITLE_PREFIXES) and len(word) > 3
            if in_title:
                word = word.split(":", 1)[1]
            pieces.append((word, False, negated, in_title))
        else:
            pieces.append((match.group(3).strip(), True, bool(match.group(1)), bool(match.group(2))))
    pending_or = False
    operator_only = True
    for text_piece, phrase, negated, in_title in pieces:
        if not phrase and text_piece in OPERATORS:
            pending_or = text_piece in ("OR", "|", "||") and bool(parsed.groups)
            continue
        if not phrase and text_piece == "*":
            parsed.match_all = True
            operator_only = False
            continue
        term_text = text_piece.replace('"', " ").strip()
        if not term_text or not query_words(term_text):
            continue
        operator_only = False
        term = Term(term_text, phrase=phrase or len(query_words(term_text)) > 1, in_title=in_title)
        if negated:
            parsed.excluded.append(term)
        elif pending_or:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        pending_or = False
    if pieces and operator_only:
        raise QueryError("检索式只有运算符（如 AND、OR），请输入要查找的词语。")
    if len(parsed.groups) + len(parsed.excluded) > MAX_TERMS:
        parsed.groups = parsed.groups[:MAX_TERMS]
        parsed.notes.append(f"词语过多，只使用了前 {MAX_TERMS} 个。")
    if not parsed.groups and parsed.excluded:
        parsed.match_all = True
    return parsed


def fallback_pieces(text: str) -> list[str]:
    """A finer cut of a single long Chinese word into dictionary words, so
    北京大学 also finds 北京大学生 (cut 北京 / 大学生, with 大学 inside)."""
    words = query_words(text)
    if len(words) != 1 or len(words[0]) < 3 or not CJK_CHARACTER.search(words[0]):
        return []
    word = words[0]
    jieba = dictionary.segmenter()
    # Fewest dictionary words of two or more characters covering the word.
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[0] = []
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 4), end):
            piece = word[start:end]
            if best[start] is None or piece == word:
                continue
            if len(piece) == 1 or jieba.has_word(piece):
                candidate = [*best[start], piece]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    pieces = best[len(word)]
    if not pieces or len(pieces) < 2 or any(len(piece) == 1 for piece in pieces):
        return []
    return pieces


def _term_sq(term: Term) -> SQ:
    if term.in_title:
        return SQ(headline=Exact(term.text))
    sq = SQ(content=Exact(term.text)) | SQ(headline=Exact(term.text))
    words = query_words(term.text)
    if len(words) == 1 and len(words[0]) == 1 and CJK_CHARACTER.match(words[0]):
        # A single character is rarely a word of its own in the cut text:
        # also match the words that contain it (expanded from the lexicon).
        sq |= SQ(content__contains=words[0])
    pieces = fallback_pieces(term.text)
    if pieces:
        # A match of the pieces ranks below a match of the word itself; the
        # phrase-with-boost syntax is shared by Whoosh and Lucene engines.
        sq |= SQ(content=Raw(f'"{" ".join(pieces)}"^{FALLBACK_BOOST}'))
    return sq


def build_query(parsed: ParsedQuery) -> SQ | None:
    """The SQ for the text part of a query, or None for match-all."""
    combined = None
    for group in parsed.groups:
        group_sq = None
        for term in group:
            term_sq = _term_sq(term)
            group_sq = term_sq if group_sq is None else group_sq | term_sq
        combined = group_sq if combined is None else combined & group_sq
    for term in parsed.excluded:
        excluded = ~SQ(headline=Exact(term.text)) if term.in_title else ~SQ(content=Exact(term.text))
        combined = excluded if combined is None else combined & excluded
    return combined


# The search ---------------------------------------------------------------


@dataclass
class Filters:
    paper: str | None = None  # a title's slug
    topic: str | None = None
    reporter: str | None = None
    kind: str | None = None
    section: str | None = None
    year: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def active(self) -> dict[str, object]:
        return {name: value for name, value in self.__dict__.items() if value not in (None, "")}


@dataclass
class Hit:
    article: Article
    score: float
    headline_html: SafeString
    snippet_html: SafeString
    reporter_names: list[str] = field(default_factory=list)


@dataclass
class SearchPage:
    query: str = ""
    parsed: ParsedQuery | None = None
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    page: int = 1
    per_page: int = PER_PAGE
    error: str = ""
    notes: list[str] = field(default_factory=list)
    # The search engine could not be reached (a search server that is down).
    unavailable: bool = False

    @property
    def article_ids(self) -> list[int]:
        return [hit.article.pk for hit in self.hits]

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _narrow_fragment(sqs: SearchQuerySet, name: str, value) -> str:
    query = sqs.query
    if name == "date_from":
        return query.build_query_fragment("issue_date", "gte", value)
    if name == "date_to":
        return query.build_query_fragment("issue_date", "lte", value)
    fieldname = connections[query._using].get_unified_index().get_facet_fieldname(name)
    return query.build_query_fragment(fieldname, "exact", Exact(str(value).replace('"', "")))


def _base_queryset(parsed: ParsedQuery) -> SearchQuerySet:
    sqs = SearchQuerySet().models(Article)
    text_sq = build_query(parsed)
    return sqs.filter(text_sq) if text_sq is not None else sqs.all()


def _run(sqs: SearchQuerySet, filters: dict, facets=(), start=0, end=0, sort=None):
    for name, value in filters.items():
        sqs = sqs.narrow(_narrow_fragment(sqs, name, value))
    for name in facets:
        sqs = sqs.facet(name)
    if sort:
        sqs = sqs.order_by(sort)
    query = sqs.query._clone()
    query.set_limits(start, end)
    query.run()
    return query


def _field_counts(facet_counts: dict, name: str, fieldname: str) -> list:
    # haystack renames facet fields back to the name they facet for.
    fields = facet_counts.get("fields", {})
    return fields.get(name) or fields.get(fieldname) or []


def paper_names() -> dict[str, str]:
    """{slug: name} of the titles, for the paper facet's labels (once per cache generation)."""
    return cached_value("paper-names", lambda: dict(Newspaper.objects.values_list("slug", "name")))


def _facet_label(name: str, value, papers: dict[str, str] | None = None) -> str:
    if name == "paper":
        return (papers or {}).get(str(value), str(value))
    if name == "kind":
        try:
            return ArticleKind(value).label
        except ValueError:
            return str(value)
    return str(value)


def _facet_rows(name: str, counts: list, selected) -> list[tuple[str, str, int]]:
    papers = paper_names() if name == "paper" else None
    rows = [
        (str(value), _facet_label(name, value, papers), count) for value, count in counts if value not in (None, "")
    ]
    if name == "year":
        rows.sort(key=lambda row: row[0], reverse=True)
    else:
        # Most articles first, equal counts by value: the same rows on every engine.
        rows.sort(key=lambda row: (-row[2], row[0]))
    rows = rows[:FACET_LIMIT]
    if selected not in (None, "") and str(selected) not in {row[0] for row in rows}:
        rows.append((str(selected), _facet_label(name, selected, papers), 0))
    return rows


def clamp_to_index(day: datetime.date | None) -> datetime.date | None:
    return None if day is None else min(max(day, INDEX_DATES[0]), INDEX_DATES[1])


def search_articles(
    q: str = "",
    *,
    paper: str | None = None,
    topic: str | None = None,
    reporter: str | None = None,
    kind: str | None = None,
    section: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    year: int | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
    facets: bool = True,
    articles: QuerySet | None = None,
) -> SearchPage:
    """One page of search results with snippets and facet counts.

    Bad input never raises: ``SearchPage.error`` says what was wrong. With no
    query text and no filter, nothing is searched (an empty page). Hits are
    loaded from ``articles`` (default: what the results page shows of each).
    """
    date_from, date_to = clamp_to_index(date_from), clamp_to_index(date_to)
    filters = Filters(paper, topic, reporter, kind, section, year, date_from, date_to)
    result = SearchPage(query=q or "", filters=filters, sort=sort if sort in SORTS else "relevance")
    result.per_page = max(1, min(int(per_page or PER_PAGE), 100))
    result.page = max(1, min(int(page or 1), MAX_PAGE))
    if sort not in SORTS:
        result.notes.append("未知的排序方式，已按相关度排序。")
    if date_from and date_to and date_from > date_to:
        result.error = "起始日期晚于结束日期，请检查日期范围。"
        return result
    try:
        parsed = parse_query(q or "")
    except QueryError as exc:
        result.error = str(exc)
        return result
    result.parsed = parsed
    result.notes.extend(parsed.notes)
    active = filters.active()
    if parsed.empty:
        if not active:
            return result
        parsed.match_all = True

    dictionary.load_reporter_names()
    try:
        return _search(result, parsed, active, facets, articles)
    except SearchUnavailable:
        logger.exception("search engine unavailable")
        result.error = UNAVAILABLE_MESSAGE
        result.unavailable = True
        return result


def _search(result: SearchPage, parsed: ParsedQuery, active: dict, facets: bool, articles) -> SearchPage:
    base = _base_queryset(parsed)
    start = (result.page - 1) * result.per_page
    sort_key = SORTS[result.sort]
    # Facets without an active filter come with the page; each filtered facet
    # is counted again without its own filter.
    free_facets = [name for name in FACETS if name not in active] if facets else []
    main = _run(base, active, free_facets, start, start + result.per_page, sort_key)
    result.total = main.get_count()
    if start >= result.total > 0:
        # Past the last page: show the last page instead of an empty one.
        result.page = result.num_pages
        start = (result.page - 1) * result.per_page
        main = _run(base, active, free_facets, start, start + result.per_page, sort_key)
    counts = main.get_facet_counts().get("fields", {}) if facets else {}
    facet_rows = {}
    unified = connections[main._using].get_unified_index()
    for name in FACETS if facets else ():
        fieldname = unified.get_facet_fieldname(name)
        if name in active:
            others = {key: value for key, value in active.items() if key != name}
            counts_query = _run(base, others, [name])
            field_counts = _field_counts(counts_query.get_facet_counts(), name, fieldname)
        else:
            field_counts = _field_counts({"fields": counts}, name, fieldname)
        facet_rows[name] = _facet_rows(name, field_counts, active.get(name))
    result.facets = facet_rows

    hits = main.get_results()
    pks = [int(hit.pk) for hit in hits]
    loaded = (Article.objects.for_search_hits() if articles is None else articles).in_bulk(pks)
    names = Byline.objects.names_by_article(pks)
    terms = parsed.highlight_terms()
    for hit in hits:
        article = loaded.get(int(hit.pk))
        if article is None:
            # Deleted since it was indexed; check_index reports these.
            continue
        result.hits.append(
            Hit(
                article=article,
                score=hit.score or 0.0,
                headline_html=highlight(article.title, terms),
                # A story printed across pages is one hit: its first part,
                # with the passage from whichever part matched.
                snippet_html=snippet(article.story_body, terms),
                reporter_names=names.get(article.pk, []),
            )
        )
    return result


def count_without(page: SearchPage, name: str) -> int:
    """How many results the same query has without filter ``name``."""
    parsed = page.parsed or ParsedQuery(match_all=True)
    others = {key: value for key, value in page.filters.active().items() if key != name}
    if parsed.empty and not others:
        return 0
    query = _run(_base_queryset(parsed if not parsed.empty else ParsedQuery(match_all=True)), others)
    return query.get_count()


def suggestions(page: SearchPage) -> dict[str, list]:
    """Help for a query that found nothing: filters to drop (with what each
    would find), and reporters and topics whose names the query mentions."""
    help_rows: dict[str, list] = {"filters": [], "reporters": [], "topics": []}
    for name, value in page.filters.active().items():
        count = count_without(page, name)
        if count:
            help_rows["filters"].append((name, value, count))
    words = set()
    if page.parsed:
        for group in page.parsed.groups:
            for term in group:
                words.add(term.text)
                words.update(word for word in query_words(term.text) if len(word) >= 2)
    if words:
        reporters = Reporter.objects.none()
        topics = Topic.objects.none()
        for word in sorted(words)[:6]:
            reporters = reporters | Reporter.objects.filter(name__icontains=word)
            topics = topics | Topic.objects.filter(name__icontains=word)
        help_rows["reporters"] = list(reporters.distinct()[:8])
        help_rows["topics"] = list(topics.distinct()[:8])
    return help_rows
