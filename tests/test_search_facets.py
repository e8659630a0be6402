"""Filters, facets, sort orders and pages of search results, on every engine:
facet counts that respect the other filters, date, kind and section filters,
stable pages in every order.

Every test here that uses the index runs once per engine (``every_search_engine``):
the archive's Whoosh index and an OpenSearch-compatible server."""

from __future__ import annotations

import pytest

from archive.models import Article, ArticleKind, Issue
from archive.search.query import search_articles

pytestmark = pytest.mark.every_search_engine


@pytest.mark.django_db
def test_facet_counts_respect_the_other_filters(ingested_samples):
    page = search_articles("发展")
    years = {value: count for value, _label, count in page.facets["year"]}
    assert sum(years.values()) == page.total
    year = max(years, key=years.get)
    narrowed = search_articles("发展", year=int(year))
    assert narrowed.total == years[year]
    # The year facet still offers the other years (it leaves its own filter out)...
    assert {value for value, _l, _c in narrowed.facets["year"]} == set(years)
    # ...while the topic counts are within that year.
    assert sum(count for _v, _l, count in narrowed.facets["topic"]) >= narrowed.total
    for value, _label, count in narrowed.facets["topic"]:
        assert search_articles("发展", year=int(year), topic=value).total == count


@pytest.mark.django_db
def test_date_range_kind_and_section_filters(ingested_samples):
    first_day = Issue.objects.order_by("publication_date").first().publication_date
    page = search_articles("*", date_from=first_day, date_to=first_day, per_page=100)
    expected = Article.objects.filter(issue__publication_date=first_day).count()
    assert page.total == expected
    assert all(hit.article.issue.publication_date == first_day for hit in page.hits)
    kinds = search_articles("*", kind=ArticleKind.NEWS, per_page=100)
    assert kinds.total == Article.objects.filter(kind=ArticleKind.NEWS).count()
    section = Article.objects.exclude(section=None).select_related("section").first()
    if section is not None:
        by_section = search_articles("*", section=section.section.name, per_page=100)
        assert by_section.total == Article.objects.filter(section=section.section).count()


@pytest.mark.django_db
def test_sort_and_stable_pages(ingested_samples):
    newest = search_articles("*", sort="newest", per_page=100)
    dates = [hit.article.issue.publication_date for hit in newest.hits]
    assert dates == sorted(dates, reverse=True)
    oldest = search_articles("*", sort="oldest", per_page=100)
    assert [hit.article.issue.publication_date for hit in oldest.hits] == sorted(dates)
    seen = []
    for number in (1, 2, 3, 4):
        seen += search_articles("*", sort="newest", page=number, per_page=5).article_ids
    assert len(seen) == len(set(seen)) == newest.total
    relevance = [search_articles("发展", page=n, per_page=3).article_ids for n in (1, 2, 3)]
    flat = [pk for ids in relevance for pk in ids]
    assert len(flat) == len(set(flat))
