"""The article list's actions on many articles at once: set the primary
topic, mark reviewed, work through the list the parser was unsure of; a
change to more articles than a request re-indexes is left to the drainer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from archive import editing, search
from archive.ingest import ingest_text
from archive.models import Article, PendingIndex, Topic
from tests.admin_pages import filtered_ids
from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.django_db


def test_set_topic_action_asks_then_applies(admin_client, commit, samples):
    articles = list(Article.objects.order_by("pk")[:3])
    topic = Topic.objects.get(name="体育")
    url = reverse("admin:archive_article_changelist")
    selection = {"action": "set_topic_action", "_selected_action": [str(a.pk) for a in articles]}
    asked = admin_client.post(url, selection)
    assert asked.status_code == 200 and "设置主要主题" in asked.content.decode()
    done = commit(admin_client.post, url, {**selection, "apply": "yes", "topic": str(topic.pk)})
    assert done.status_code == 302
    for article in articles:
        article.refresh_from_db()
        assert article.primary_topic == topic
        assert article.topics.filter(pk=topic.pk).exists()
        assert "topics" in article.edited_fields
    indexed = filtered_ids(topic="体育")
    assert {a.pk for a in articles} <= indexed


def test_changes_to_many_articles_are_queued_for_the_drainer(admin_client, commit, samples, monkeypatch):
    """A change to more articles than a request re-indexes leaves them in the
    durable queue (no thread of the web worker), and the drainer applies them."""
    monkeypatch.setattr(editing, "INLINE_INDEX_LIMIT", 3)
    topic = Topic.objects.get(name="体育")
    ids = set(Article.objects.values_list("pk", flat=True))
    assert len(ids) > 3 and filtered_ids(topic="体育") != ids
    url = reverse("admin:archive_article_changelist")
    selection = {"action": "set_topic_action", "_selected_action": [str(pk) for pk in ids]}
    response = commit(admin_client.post, url, {**selection, "apply": "yes", "topic": str(topic.pk)})
    assert response.status_code == 302
    assert set(PendingIndex.objects.values_list("article_id", flat=True)) == ids
    assert filtered_ids(topic="体育") != ids
    search.drain_queue()
    assert not PendingIndex.objects.exists()
    assert filtered_ids(topic="体育") == ids


def test_mark_reviewed_action(admin_client, samples):
    articles = list(Article.objects.order_by("pk")[:2])
    url = reverse("admin:archive_article_changelist")
    admin_client.post(url, {"action": "mark_reviewed", "_selected_action": [str(a.pk) for a in articles]})
    assert Article.objects.filter(reviewed=True).count() == 2
    assert Article.objects.get(pk=articles[0].pk).history.first().history_change_reason == "标记为已审核"
    admin_client.post(url, {"action": "mark_unreviewed", "_selected_action": [str(articles[0].pk)]})
    assert Article.objects.filter(reviewed=True).count() == 1


def test_needs_review_list_holds_the_doubted_articles_until_marked_reviewed(admin_client):
    path = PROJECT_DIR / "tests" / "data" / "real" / "tuned" / "rmrb_1984-10-17_p1.txt"
    ingest_text(path.read_text(encoding="utf-8"), source_name=path.name)
    doubted = set(Article.objects.exclude(doubts=[]).values_list("pk", flat=True))
    assert doubted and doubted != set(Article.objects.values_list("pk", flat=True))
    url = reverse("admin:archive_article_changelist")

    def listed():
        response = admin_client.get(url, {"doubts": "open"})
        assert response.status_code == 200
        return {article.pk for article in response.context["cl"].result_list}

    assert listed() == doubted
    page = admin_client.get(url, {"doubts": "open"}).content.decode()
    assert "解析存疑" in page and "分篇依据不足" in page
    first = min(doubted)
    admin_client.post(url, {"action": "mark_reviewed", "_selected_action": [str(first)]})
    assert listed() == doubted - {first}
    # The reasons stay on the article for the record; only the list is worked through.
    assert Article.objects.get(pk=first).doubts
