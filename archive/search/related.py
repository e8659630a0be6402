"""Articles like this one, for the article page.

haystack's Whoosh ``more_like_this`` picks terms from the whole text and
returns few, loosely related hits. Here the article's own keywords (and
failing those, its headline) are searched as phrases, any of them, and the
hits are re-ranked with a bonus for a shared topic or reporter; a short list
is filled up with recent articles of the same topic.
"""

from __future__ import annotations

from haystack.inputs import Exact
from haystack.query import SQ, SearchQuerySet

from archive.models import Article
from archive.search.analysis import query_words

CANDIDATES = 30
MAX_QUERY_WORDS = 8
TOPIC_BONUS = 0.25
REPORTER_BONUS = 0.15


def _query_words(article: Article) -> list[str]:
    words = [str(word) for word in article.keywords if str(word).strip()]
    if not words:
        words = [word for word in query_words(article.title) if len(word) >= 2]
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    words = _query_words(article)
    ranked: list[Article] = []
    if words:
        combined = None
        for word in words:
            sq = SQ(content=Exact(word))
            combined = sq if combined is None else combined | sq
        sqs = SearchQuerySet().models(Article).filter(combined)
        query = sqs.query._clone()
        query.set_limits(0, CANDIDATES + 1)
        query.run()
        scores = {int(hit.pk): hit.score or 0.0 for hit in query.get_results() if int(hit.pk) != article.pk}
        if scores:
            top = max(scores.values()) or 1.0
            topics = set(article.topics.values_list("pk", flat=True))
            reporters = {byline.reporter_id for byline in article.bylines.all()}
            candidates = Article.objects.for_listing().prefetch_related("topics").in_bulk(list(scores))

            def rank(candidate: Article) -> float:
                score = scores[candidate.pk] / top
                if topics & {topic.pk for topic in candidate.topics.all()}:
                    score += TOPIC_BONUS
                if reporters & {byline.reporter_id for byline in candidate.bylines.all()}:
                    score += REPORTER_BONUS
                return score

            ranked = sorted(candidates.values(), key=lambda candidate: (-rank(candidate), -candidate.pk))[:limit]
    if len(ranked) < limit and article.primary_topic_id:
        seen = {article.pk, *(candidate.pk for candidate in ranked)}
        ranked += list(
            Article.objects.for_listing()
            .filter(topics=article.primary_topic_id)
            .exclude(pk__in=seen)
            .distinct()
            .newest_first()[: limit - len(ranked)]
        )
    return ranked
