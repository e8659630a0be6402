"""Articles like this one, for the article page.

haystack's Whoosh ``more_like_this`` picks terms from the whole text and
returns few, loosely related hits. Here the article's own keywords (and
failing those, its headline) are searched as phrases, any of them, and the
hits are re-ranked with a bonus for a shared topic or reporter; a short list
is filled up with recent articles of the same topic.
"""

from __future__ import annotations

from itertools import islice

from haystack.inputs import Exact
from haystack.query import SQ, SearchQuerySet

from archive.models import Article, Byline
from archive.search.analysis import query_words

# An article's keywords come most significant first; every further word is
# another phrase search over the whole index, for candidates that rarely make
# the top five after re-ranking. These bounds halve the article page's cost.
CANDIDATES = 15
MAX_QUERY_WORDS = 5
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
            found = Article.objects.for_listing().defer("source_text").in_bulk(best)
            ranked = [found[pk] for pk in best if pk in found]
    if len(ranked) < limit and article.primary_topic_id:
        # The topic's newest-first id list is computed once per cache
        # generation (the topic page uses it too): the fill-up is then a
        # primary-key lookup instead of a join, DISTINCT and sort.
        from archive.views import topic_article_ids

        seen = {article.pk, *(candidate.pk for candidate in ranked)}
        newest = (pk for pk in topic_article_ids(article.primary_topic_id) if pk not in seen)
        wanted = list(islice(newest, limit - len(ranked)))
        found = Article.objects.for_listing().defer("source_text").in_bulk(wanted)
        ranked += [found[pk] for pk in wanted if pk in found]
    return ranked
