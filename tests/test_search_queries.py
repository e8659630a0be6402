"""What a query finds, on every engine: relevance on the sample issues, single
characters and words, reporters' names, phrases, headlines above bodies,
words inside longer words, OR and exclusion, related articles.

Every test here that uses the index runs once per engine (``every_search_engine``):
the archive's Whoosh index and an OpenSearch-compatible server."""

from __future__ import annotations

import datetime

import pytest

from archive.models import Article, Reporter
from archive.search import indexing
from archive.search.query import search_articles
from archive.search.related import related_articles
from tests.factories import ArticleFactory

pytestmark = pytest.mark.every_search_engine


def titles(page):
    return [hit.article.title for hit in page.hits]


@pytest.mark.django_db
def test_relevance_on_samples(ingested_samples):
    assert titles(search_articles("养老服务"))[0] == "我区民政事业高质量发展取得新成效"
    assert "放管服" in search_articles('"放管服"').hits[0].article.body
    assert "蒙速办" in titles(search_articles("包车游"))[0]
    traditional = search_articles("養老服務")
    assert titles(traditional)[0] == "我区民政事业高质量发展取得新成效"
    esp = search_articles("ESP32")
    assert esp.total == 1 and "ESP32" in esp.hits[0].article.body
    assert search_articles("esp32").total == 1
    percent = search_articles("97.6%")
    assert percent.total == 1 and "97.6%" in percent.hits[0].article.body


@pytest.mark.django_db
def test_single_characters_and_two_character_words(ingested_samples):
    for query in ("旗", "书", "驿站"):
        expected = {article.pk for article in Article.objects.all() if query in article.body + article.title}
        assert expected
        assert set(search_articles(query, per_page=100).article_ids) == expected, query


@pytest.mark.django_db
def test_reporter_name_finds_their_articles(ingested_samples):
    reporter = Reporter.objects.get(name="刘艳霞")
    expected = set(Article.objects.by_reporter(reporter).values_list("pk", flat=True))
    assert len(expected) >= 2
    found = set(search_articles("刘艳霞").article_ids)
    assert expected <= found
    assert set(search_articles("", reporter="刘艳霞").article_ids) == expected


@pytest.mark.django_db
def test_phrase_needs_the_words_in_order(ingested_samples):
    in_order = search_articles('"民政 事业"')
    assert "我区民政事业高质量发展取得新成效" in titles(in_order)
    assert all("民政事业" in hit.article.body + hit.article.title for hit in in_order.hits)
    assert search_articles('"事业 民政"').total < in_order.total
    city = search_articles('"呼和浩特"')
    assert city.total >= 3
    assert all("呼和浩特" in hit.article.body + hit.article.title for hit in city.hits)


@pytest.mark.django_db
def test_headline_matches_rank_above_body_matches(clean_index):
    day = datetime.date(2024, 3, 1)
    body_only = ArticleFactory(
        issue__publication_date=day,
        position=1,
        headline="城市新闻",
        paragraphs=["今年的马铃薯产量很高。" + "其他内容。" * 5],
    )
    headline = ArticleFactory(
        issue__publication_date=day, position=2, headline="马铃薯丰收", paragraphs=["农民很高兴。" + "其他内容。" * 5]
    )
    indexing.update_articles([body_only.pk, headline.pk])
    assert search_articles("马铃薯").article_ids == [headline.pk, body_only.pk]


@pytest.mark.django_db
def test_a_word_inside_a_longer_word_is_found(clean_index):
    day = datetime.date(2024, 3, 1)
    students = ArticleFactory(
        issue__publication_date=day, position=1, headline="暑期活动", paragraphs=["北京大学生志愿者来到呼和浩特。"]
    )
    university = ArticleFactory(
        issue__publication_date=day, position=2, headline="学术交流", paragraphs=["北京大学的教授作报告。"]
    )
    indexing.update_articles([students.pk, university.pk])
    page = search_articles("北京大学")
    assert page.article_ids[0] == university.pk
    assert students.pk in page.article_ids


@pytest.mark.django_db
def test_or_exclude_and_match_all(ingested_samples):
    total = Article.objects.count()
    either = set(search_articles("养老 OR 殡葬").article_ids)
    assert set(search_articles("养老").article_ids) <= either
    assert set(search_articles("殡葬").article_ids) <= either
    without = search_articles("养老 -殡葬")
    assert all("殡葬" not in hit.article.body for hit in without.hits)
    assert without.total < len(either)
    everything = search_articles("*", per_page=100)
    assert everything.total == total
    assert sum(count for _value, _label, count in everything.facets["year"]) == total


@pytest.mark.django_db
def test_related_articles_share_subject(ingested_samples):
    article = Article.objects.get(headline="我区民政事业高质量发展取得新成效")
    related = related_articles(article, limit=3)
    assert related and article not in related and len(related) <= 3
    keywords = set(article.keywords)
    first = related[0]
    assert keywords & set(first.keywords) or any(word in first.body for word in keywords)
