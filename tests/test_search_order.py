"""Newest first and match-all keep printed order within a day: the days
are reversed, the front page still comes before the last page."""

from __future__ import annotations

import pytest

from archive.models import Article
from archive.search import indexing
from archive.search.query import search_articles

pytestmark = [pytest.mark.django_db, pytest.mark.every_search_engine]


def ids(query, **options):
    page = search_articles(query, facets=False, per_page=100, **options)
    assert not page.error, page.error
    return page.article_ids


def test_match_all_lists_the_newest_day_first_in_printed_order(ingested_samples):
    expected = list(Article.objects.newest_first().values_list("pk", flat=True))
    assert len({a.issue_date for a in Article.objects.all()}) > 1
    assert ids("*") == expected
    assert ids("*", sort="newest") == expected


def test_oldest_first_is_printed_order_day_by_day(ingested_samples):
    expected = list(Article.objects.printed_order().values_list("pk", flat=True))
    assert ids("*", sort="oldest") == expected


def test_a_query_sorted_newest_first_keeps_printed_order_within_a_day(ingested_samples):
    found = set(ids("发展"))
    assert len(found) > 2
    expected = [pk for pk in Article.objects.newest_first().values_list("pk", flat=True) if pk in found]
    assert ids("发展", sort="newest") == expected


def test_printed_order_holds_after_articles_are_indexed_again(ingested_samples):
    # An engine that appends a re-indexed document must still sort it into
    # its place in the day, not after the day's last page.
    newest = list(Article.objects.newest_first().values_list("pk", flat=True))
    indexing.update_articles(newest[:2])
    assert ids("*") == newest
    assert ids("*", sort="oldest") == list(Article.objects.printed_order().values_list("pk", flat=True))


def test_printed_order_holds_after_a_rebuild(ingested_samples):
    # The bulk writer of a rebuild writes the same order as a live commit.
    indexing.rebuild()
    assert ids("*") == list(Article.objects.newest_first().values_list("pk", flat=True))
