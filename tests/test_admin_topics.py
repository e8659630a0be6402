"""Topics in the admin: a rename re-indexes the articles filed under it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from archive.models import Article, Topic
from tests.admin_pages import filtered_ids, form_data

pytestmark = pytest.mark.django_db


def test_topic_rename_reindexes_its_articles(admin_client, commit, samples):
    article = Article.objects.filter(primary_topic__isnull=False).order_by("pk").first()
    topic = article.primary_topic
    url = reverse("admin:archive_topic_change", args=[topic.pk])
    data = form_data(admin_client.get(url))
    data["name"] = "城市建设新"
    assert commit(admin_client.post, url, data).status_code == 302
    assert article.pk in filtered_ids(topic="城市建设新")
    assert Topic.objects.get(pk=topic.pk).slug == topic.slug
