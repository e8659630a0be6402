"""Keeping the index in step with the database, on every engine: updates,
removals and the check, the documents the index is given, health, a rebuild
beside the live index while search answers, a new archive's empty index.

Every test here that uses the index runs once per engine (``every_search_engine``):
the archive's Whoosh index and an OpenSearch-compatible server."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from haystack import connections

from archive.models import Article, Byline, Reporter, Section, Topic
from archive.search import indexing
from archive.search.query import search_articles
from tests.factories import ArticleFactory

pytestmark = pytest.mark.every_search_engine


@pytest.mark.django_db
def test_update_remove_and_check(ingested_samples):
    article = Article.objects.get(headline="我区民政事业高质量发展取得新成效")
    assert indexing.check().ok
    article.paragraphs = [*article.paragraphs, "新增的段落提到了马头琴演奏。"]
    article.save()
    assert search_articles("马头琴").total == 0
    assert article.pk in indexing.check().stale
    indexing.update_articles([article.pk])
    assert search_articles("马头琴").article_ids == [article.pk]
    indexing.remove_articles([article.pk])
    assert article.pk in indexing.check().missing
    with pytest.raises(CommandError):
        call_command("check_index")
    call_command("check_index", "--fix")
    assert indexing.check().ok
    # An id that left the database is removed by update_articles.
    Article.objects.filter(pk=article.pk).delete()
    assert article.pk in indexing.check().orphaned
    indexing.update_articles([article.pk])
    assert indexing.check().ok


@pytest.mark.django_db
def test_one_pass_documents_equal_haystacks(ingested_samples):
    from haystack import indexes

    index = connections["default"].get_unified_index().get_index(Article)
    # The cases haystack's generic path treats specially: a section or none,
    # no event date, a primary topic outside the topics, keywords, two bylines.
    caption = "只有正文的图片新闻说明文字，超过三十个字的说明文字会被截断显示。"
    odd = ArticleFactory(
        issue__publication_date=datetime.date(2024, 3, 1),
        position=1,
        headline="",
        paragraphs=[caption],
        reporter="王二",
    )
    topics = Topic.ensure_fixed_list()
    odd.primary_topic = topics["经济"]
    odd.keywords = ["图片", "新闻"]
    odd.kicker, odd.subtitle, odd.column = "引题", "副题", "栏目"
    odd.section = Section.objects.create(name="要闻")
    odd.save()
    odd.topics.set([topics["文化"]])
    Byline.objects.create(article=odd, reporter=Reporter.objects.create(name="李三"), role="photographer", position=1)
    assert Article.objects.filter(section__isnull=True, event_date__isnull=True).exists()
    compared = 0
    for obj in index.index_queryset().order_by("pk"):
        ours = dict(index.full_prepare(obj))
        generic = dict(indexes.SearchIndex.full_prepare(index, obj))
        assert ours == generic, obj.pk
        # The template renders a SafeString (a str); Whoosh sees the same text.
        assert {key: type(value) for key, value in ours.items() if key != "text"} == {
            key: type(value) for key, value in generic.items() if key != "text"
        }
        compared += 1
    assert compared == Article.objects.count()


@pytest.mark.django_db
def test_health_reports_the_engine(client, clean_index, search_engine):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["search"] == "ok"
    if search_engine == "whoosh":
        assert "search_server" not in body
    else:
        server = body["search_server"]
        assert server["engine"] == "opensearch" and server["articles"] == 0 and len(server["index"]) == 1


def test_a_rebuild_swaps_in_a_whole_index_while_search_answers(transactional_db, ingested_samples):
    total = Article.objects.count()
    version = indexing.index_version()
    during = []

    def progress(done, _total):
        # The live index still answers in full while the new one fills.
        during.append(search_articles("*").total)

    result = indexing.rebuild(batch_size=4, progress=progress, workers=1)
    assert result.articles == total and during and set(during) == {total}
    assert indexing.index_version() != version
    assert search_articles("*").total == total
    assert search_articles("养老服务").total == 1 and indexing.check().ok


@pytest.mark.django_db
def test_a_new_archive_gets_an_empty_index_and_an_existing_one_is_kept(clean_index, search_engine):
    from archive import search

    connections["default"].get_backend().clear()
    search.ensure_index()
    assert search.engine_state()["engine"] == search_engine
    assert search_articles("*").total == 0
    article = ArticleFactory(headline="马铃薯丰收", paragraphs=["农民很高兴。"])
    indexing.update_articles([article.pk])
    version = search.index_version()
    search.ensure_index()
    assert search.index_version() == version and search_articles("马铃薯").article_ids == [article.pk]
