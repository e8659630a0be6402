"""Topics: the list of the archive's topics, and one topic's page with its
articles newest first, its years and the reporters who wrote most on it."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from archive.caching import cached_value
from archive.listings import topic_counts, topic_listing
from archive.models import Article, Topic
from archive.pagecache import cache_public_page
from archive.views.common import article_list_page, top_reporters


@cache_public_page
def topic_list(request):
    return render(request, "archive/topic_list.html", {"topics": topic_counts()})


def topic_summary(topic):
    """Top reporters of one topic, once per generation."""

    def compute():
        in_topic = Article.topics.through.objects.filter(topic=topic)
        return {"top_reporters": top_reporters(in_topic.values("article_id"))}

    return cached_value(f"topic-summary:{topic.pk}", compute)


@cache_public_page
def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    return article_list_page(
        request,
        "archive/topic_detail.html",
        # (article, topic) pairs are unique, so no DISTINCT is needed.
        topic_listing(topic.pk),
        topic=topic,
        top_reporters=topic_summary(topic)["top_reporters"],
    )
