"""The list of topics and a topic's page: its articles newest first, page by
page, the chart of years and its top reporters."""

from __future__ import annotations

import re

from django.urls import reverse

from archive.models import Reporter, Topic
from archive.views import common as common_views
from tests.site_pages import html


def test_topic_list_counts_articles(samples, client):
    page = html(client.get(reverse("archive:topic_list")))
    economy = Topic.objects.get(name="经济")
    count = economy.articles.count()
    assert (
        f'{economy.get_absolute_url()}"><span class="topic-name">经济</span> <span class="count">{count} 篇</span>'
        in page
    )


def test_topic_page_lists_articles_per_year_and_top_reporters(samples, client):
    topic = Topic.objects.get(name="经济")
    page = html(client.get(topic.get_absolute_url()))
    for article in topic.articles.all():
        assert article.get_absolute_url() in page
    assert "主要记者" in page and Reporter.objects.get(name="宋向华").get_absolute_url() in page
    assert "<svg" in page


def test_topic_without_articles_says_what_to_do(samples, client):
    topic = next(topic for topic in Topic.objects.all() if not topic.articles.exists())
    page = html(client.get(topic.get_absolute_url()))
    assert "这个主题下还没有文章" in page


def test_topic_pages_paginate_newest_first(samples, client, monkeypatch):
    monkeypatch.setattr(common_views, "ARTICLES_PER_PAGE", 2)
    topic = Topic.objects.get(name="经济")
    expected = [
        article.get_absolute_url() for article in topic.articles.order_by("-issue__publication_date", "position", "pk")
    ]
    seen = []
    for number in range(1, (len(expected) + 1) // 2 + 1):
        page = html(client.get(topic.get_absolute_url(), {"page": number}))
        seen += re.findall(r'<h3 class="headline"><a href="(/papers/[\w-]+/articles/\d+/)"', page)
    assert seen == expected
