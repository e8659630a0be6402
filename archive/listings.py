"""Ordered article id lists, computed once per cache generation.

Listing pages fetch only their own rows from these lists instead of sorting
the whole set again; the JSON API and the article page's related articles
share them.
"""

from __future__ import annotations

from collections import Counter

from archive.caching import cached_value
from archive.models import Article, Byline


def newest_first_ids(name, articles):
    """The ids of ``articles`` newest first (issue date, printed position, id),
    computed once per cache generation: pages of a long listing then fetch
    only their own rows instead of sorting the whole set again."""
    return cached_value(f"ids:{name}", lambda: list(articles.newest_first().values_list("pk", flat=True)))


def newest_first_listing(name, articles):
    """(ids newest first, [(year, article count)]) of ``articles``, from one
    query (dates read from the covering index) once per cache generation: a
    reporter's or topic's pages and its per-year chart."""

    def compute():
        ids, years = [], Counter()
        for pk, day in articles.newest_first().values_list("pk", "issue_date"):
            ids.append(pk)
            years[day.year] += 1
        return ids, sorted(years.items())

    return cached_value(f"listing:{name}", compute)


def topic_listing(topic_id):
    return newest_first_listing(f"topic:{topic_id}", Article.objects.filter(topics=topic_id))


def reporter_listing(reporter_id):
    return newest_first_listing(
        f"reporter:{reporter_id}",
        Article.objects.filter(pk__in=Byline.objects.filter(reporter_id=reporter_id).values("article_id")),
    )


def topic_article_ids(topic_id):
    """A topic's article ids, newest first, once per cache generation."""
    return topic_listing(topic_id)[0]
