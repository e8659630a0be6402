"""The search page, on every engine: unusual queries get a page (never a 500),
filters and errors shown, each hit's reporters in a fixed number of queries,
pages cached until the index changes.

Every test here that uses the index runs once per engine (``every_search_engine``):
the archive's Whoosh index and an OpenSearch-compatible server."""

from __future__ import annotations

import pytest

from archive.models import Article
from archive.search import indexing

pytestmark = pytest.mark.every_search_engine


STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ['"放管服', "AND OR", "*", "养" * 10000, "养老\x00服务\x1b", "OR", '"" ""', "-", "(((", "year:2024", "养老 AND"],
)
def test_unusual_queries_get_a_page_never_a_500(client, ingested_samples, settings, query):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": STATIC}
    response = client.get("/search/", {"q": query})
    assert response.status_code in (200, 400)
    assert "搜索" in response.content.decode()


@pytest.mark.django_db
def test_search_page_filters_and_errors(client, ingested_samples, settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": STATIC}
    page = client.get("/search/", {"q": "发展", "topic": "民生"}).content.decode()
    assert 'aria-current="true"' in page and "共找到" in page
    bad = client.get("/search/", {"q": "发展", "from": "2024-13-01"})
    assert bad.status_code == 400 and "有效日期" in bad.content.decode()
    operators = client.get("/search/", {"q": "AND OR"})
    assert operators.status_code == 400 and "运算符" in operators.content.decode()
    nothing = client.get("/search/", {"q": "发展", "topic": "体育"}).content.decode()
    assert "去掉一个条件" in nothing


@pytest.mark.django_db
def test_search_page_names_each_hits_reporters_in_a_fixed_number_of_queries(
    client, ingested_samples, settings, django_assert_max_num_queries
):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": STATIC}
    client.get("/search/", {"q": "呼和浩特"})  # the process loads reporter names once
    with django_assert_max_num_queries(4):
        response = client.get("/search/", {"q": "发展"})
    hits = response.context["result"].hits
    assert len(hits) >= 5
    page = response.content.decode()
    with_reporters = [hit for hit in hits if hit.article.bylines.exists()]
    assert with_reporters
    for hit in with_reporters:
        names = [byline.reporter.name for byline in hit.article.bylines.order_by("position", "pk")]
        assert hit.reporter_names == names
        assert " · " + "、".join(names) + "</p>" in page


@pytest.mark.django_db
def test_search_pages_are_cached_until_the_index_changes(client, ingested_samples, settings, django_assert_num_queries):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": STATIC}
    first = client.get("/search/", {"q": "民政"})
    article = first.context["result"].hits[0].article
    with django_assert_num_queries(0):
        again = client.get("/search/", {"q": "民政"})
    assert again.content == first.content
    # The database and the index change, the cache generation does not (as
    # between an ingest's commit and its re-index): the page is new anyway.
    Article.objects.filter(pk=article.pk).update(headline="民政工作新标题")
    indexing.update_articles([article.pk])
    assert "新标题" in client.get("/search/", {"q": "民政"}).content.decode()
    with django_assert_num_queries(0):
        assert "新标题" in client.get("/search/", {"q": "民政"}).content.decode()
