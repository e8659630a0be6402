"""Topics: the list of the archive's topics, and one topic's page with its
articles newest first, its years and the reporters who wrote most on it."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from archive.caching import cached_value
from archive.listings import topic_counts, topic_listing
from archive.models import Article, Topic
from archive.pagecache import cache_public_page
from archive.views.common import paginate_articles, top_reporters, year_chart


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
    # (article, topic) pairs are unique, so no DISTINCT is needed.
    ids, per_year = topic_listing(topic.pk)
    summary = topic_summary(topic)
    return render(
        request,
        "archive/topic_detail.html",
        {
            "topic": topic,
            "page": paginate_articles(request, ids),
            "chart": year_chart(per_year),
            "top_reporters": summary["top_reporters"],
        },
    )
