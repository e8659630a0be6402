"""An article's history in the admin: each edit listed with who made it, and
reverting to an earlier version brings back its fields, topics and bylines
(or, for a version ingest recorded without them, keeps today's)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from archive.models import Topic
from tests.admin_pages import change_url, edit_article, first_news_article, form_data, search_ids

pytestmark = pytest.mark.django_db


def test_history_lists_the_edit_and_revert_restores_fields_topics_and_bylines(admin_client, commit, samples):
    article = first_news_article()
    original = {
        "headline": article.headline,
        "topics": set(article.topics.values_list("pk", flat=True)),
        "bylines": list(article.bylines.values_list("reporter_id", "role")),
    }
    extra_topic = Topic.objects.exclude(pk__in=original["topics"]).first()
    data = form_data(admin_client.get(change_url(article)))
    data.update(headline="改错了的标题", topics=[*data["topics"], str(extra_topic.pk)])
    data["bylines-0-DELETE"] = "on"
    assert commit(admin_client.post, change_url(article), data).status_code == 302
    assert article.bylines.count() == len(original["bylines"]) - 1
    before = article.history.all()[1]  # the version just before the edit

    history = admin_client.get(reverse("admin:archive_article_history", args=[article.pk]))
    html = history.content.decode()
    assert "改错了的标题" in html and "chief" in html

    revert_url = reverse("admin:archive_article_simple_history", args=[article.pk, before.history_id])
    form_page = admin_client.get(revert_url)
    assert form_page.status_code == 200
    revert = form_data(form_page)
    assert revert["headline"] == original["headline"]
    assert set(map(int, revert["topics"])) == original["topics"]
    assert commit(admin_client.post, revert_url, revert).status_code == 302

    article.refresh_from_db()
    assert article.headline == original["headline"]
    assert set(article.topics.values_list("pk", flat=True)) == original["topics"]
    assert list(article.bylines.values_list("reporter_id", "role")) == original["bylines"]
    assert "恢复到" in article.history.first().history_change_reason
    assert article.pk in search_ids(original["headline"])
    assert article.pk not in search_ids("改错了的标题")


def test_reverting_to_an_ingest_version_keeps_todays_topics_and_bylines(admin_client, commit, samples):
    article = first_news_article()
    ingest_version = article.history.filter(history_change_reason__isnull=True).first()
    bylines = list(article.bylines.values_list("reporter_id", "role"))
    assert edit_article(admin_client, commit, article, headline="临时标题").status_code == 302
    url = reverse("admin:archive_article_simple_history", args=[article.pk, ingest_version.history_id])
    response = commit(admin_client.post, url, form_data(admin_client.get(url)), follow=True)
    assert "不含主题和署名" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == ingest_version.headline
    assert list(article.bylines.values_list("reporter_id", "role")) == bylines
