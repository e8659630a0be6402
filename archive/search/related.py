"""Articles like this one, for the article page.

haystack's Whoosh ``more_like_this`` picks terms from the whole text and
returns few, loosely related hits. Here the article's own keywords are
looked up among the other articles' keywords, any of them (when fewer than a
list's worth of articles share one, the keywords, or failing those the
headline's words, are searched as phrases in the text instead), and the hits
are re-ranked with a bonus for a shared topic or reporter; a short list is filled
up with recent articles of the same topic.

Keywords are matched in the index's ``keyword`` field, not as phrases in the
whole text: articles the parser gave the same keywords are the closest kin,
and a term lookup in that small field costs a sixth of phrase searches
through every article's text (the article page's largest cost otherwise).
"""

from __future__ import annotations

import logging
from itertools import islice

from haystack.inputs import Exact
from haystack.query import SQ, SearchQuerySet

from archive.listings import topic_article_ids
from archive.models import Article, Byline
from archive.search import SearchUnavailable
from archive.search.analysis import query_words

logger = logging.getLogger(__name__)

CANDIDATES = 30
MAX_QUERY_WORDS = 8
TOPIC_BONUS = 0.25
REPORTER_BONUS = 0.15


def _keywords(article: Article) -> list[str]:
    return list(dict.fromkeys(str(word) for word in article.keywords if str(word).strip()))[:MAX_QUERY_WORDS]


def _text_words(article: Article) -> list[str]:
    """The keywords, else the headline's words, to search as phrases in the text."""
    keywords = _keywords(article)
    if keywords:
        return keywords
    return list(dict.fromkeys(word for word in query_words(article.title) if len(word) >= 2))[:MAX_QUERY_WORDS]


def _scores(article: Article, field: str, words: list[str]) -> dict[int, float]:
    """{article id: relevance} of the best candidates having any of ``words`` in ``field``."""
    if not words:
        return {}
    combined = None
    for word in words:
        sq = SQ(**{field: Exact(word)})
        combined = sq if combined is None else combined | sq
    query = SearchQuerySet().models(Article).filter(combined).query._clone()
    query.set_limits(0, CANDIDATES + 1)
    try:
        query.run()
    except SearchUnavailable:
        # The article page still shows, with the topic's newest articles.
        logger.warning("related articles without the search engine: it is unavailable")
        return {}
    return {int(hit.pk): hit.score or 0.0 for hit in query.get_results() if int(hit.pk) != article.pk}


def _shown(ids: list[int]) -> dict[int, Article]:
    """{id: article} with what a related link shows: its address, title and
    date (no bylines, topic or section)."""
    if not ids:
        return {}
    return (
        Article.objects.select_related("issue")
        .only("pk", "paper_id", "headline", "paragraphs", "kind", "issue__publication_date")
        .in_bulk(ids)
    )


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    ranked: list[Article] = []
    scores = _scores(article, "keyword", _keywords(article))
    if len(scores) < limit:
        # Keywords no other article shares (a small archive, a rare subject):
        # the costlier phrase search through the text finds more.
        scores = _scores(article, "content", _text_words(article)) or scores
    if scores:
        top = max(scores.values()) or 1.0
        # The article's own topics and bylines are usually prefetched by the page.
        topics = {topic.pk for topic in article.topics.all()}
        reporters = {byline.reporter_id for byline in article.bylines.all()}
        # Ranking needs only ids: read them from the link tables, and load
        # whole rows for the few articles shown, not for every candidate.
        # An id the index still holds for a deleted article drops out when
        # the rows are loaded; the topic fill-up below takes its place.
        existing = list(scores)
        shares_topic = set(
            Article.topics.through.objects.filter(article_id__in=existing, topic_id__in=topics).values_list(
                "article_id", flat=True
            )
        )
        shares_reporter = set(
            Byline.objects.filter(article_id__in=existing, reporter_id__in=reporters).values_list(
                "article_id", flat=True
            )
        )

        def rank(pk: int) -> float:
            score = scores[pk] / top
            if pk in shares_topic:
                score += TOPIC_BONUS
            if pk in shares_reporter:
                score += REPORTER_BONUS
            return score

        best = sorted(existing, key=lambda pk: (-rank(pk), -pk))[:limit]
        found = _shown(best)
        ranked = [found[pk] for pk in best if pk in found]
    if len(ranked) < limit and article.primary_topic_id:
        # The topic's newest-first id list is computed once per cache
        # generation (the topic page uses it too): the fill-up is then a
        # primary-key lookup instead of a join, DISTINCT and sort.
        seen = {article.pk, *(candidate.pk for candidate in ranked)}
        newest = (pk for pk in topic_article_ids(article.primary_topic_id) if pk not in seen)
        wanted = list(islice(newest, limit - len(ranked)))
        found = _shown(wanted)
        ranked += [found[pk] for pk in wanted if pk in found]
    return ranked
