"""Atom feeds: the newest articles, and the newest per title, per topic and per reporter.

Titles, authors and categories are Atom text constructs (readers show them as
text). The summary is ``type="html"``, which readers render: it is built from
the article's text escaped paragraph by paragraph, then passed through nh3 with
only ``<p>`` allowed, so markup typed into an article or an editor's field is
shown as characters and can never run in a reader.
"""

from __future__ import annotations

import datetime

import nh3
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator

from archive.addresses import public_path
from archive.models import Article, Byline, Newspaper, Reporter, Topic

FEED_SIZE = 30
SUMMARY_LENGTH = 200
# The only markup a summary carries: its paragraphs.
SUMMARY_TAGS = {"p"}


class ArticleFeed(Feed):
    feed_type = Atom1Feed
    language = "zh-Hans"

    def feed_articles(self, obj):
        raise NotImplementedError

    def items(self, obj):
        # Newest ids first from the date index alone, then the rows with their
        # relations: ordering a join with the issue table would sort the archive.
        ids = list(self.feed_articles(obj).newest_first().values_list("pk", flat=True)[:FEED_SIZE])
        found = Article.objects.for_listing().defer("source_text").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Django names the feed itself at the request's host; the entries and
        # the page link name SITE_URL when it is set, and so does this.
        if settings.SITE_URL:
            feed.feed["feed_url"] = public_path(request.path)
        return feed

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return summary_html(item.paragraphs)

    def item_link(self, item):
        # The entry id is the link (Django's default): the same address as
        # the article's canonical link and citation.
        return public_path(item.get_absolute_url())

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        # Articles carry only the day they were printed; noon avoids the date
        # slipping a day in readers that convert to UTC.
        day = item.issue.publication_date
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        names = [byline.reporter.name for byline in item.bylines.all()]
        return "、".join(names) or None

    def item_categories(self, item):
        return [item.primary_topic.name] if item.primary_topic else []


def summary_html(paragraphs, length=SUMMARY_LENGTH):
    """The first ``length`` characters of the text as escaped ``<p>`` paragraphs."""
    shown, left = [], length
    for paragraph in paragraphs:
        if left <= 0:
            break
        cut = Truncator(paragraph).chars(left) if len(paragraph) > left else paragraph
        shown.append(cut)
        left -= len(paragraph)
    html = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in shown)
    return nh3.clean(html, tags=SUMMARY_TAGS, attributes={}, link_rel=None)


class LatestArticlesFeed(ArticleFeed):
    def title(self):
        return f"{settings.NEWSPAPER_NAME}数字档案 · 最新文章"

    def subtitle(self):
        return f"{settings.NEWSPAPER_NAME}最新收录的文章"

    def link(self):
        return public_path(reverse("archive:home"))

    def feed_articles(self, obj):
        return Article.objects.all()


class ObjectFeed(ArticleFeed):
    """The newest articles of one title, topic or reporter, found by the slug
    in the feed's address (the URL argument ``slug_argument``); its title and
    subtitle are ``title_format`` and ``subtitle_format`` with ``{name}`` (its
    name) and ``{archive}`` (the archive's name) filled in."""

    model: type
    slug_argument = "slug"
    title_format = ""
    subtitle_format = ""

    def get_object(self, request, **kwargs):
        return get_object_or_404(self.model, slug=kwargs[self.slug_argument])

    def title(self, obj):
        return self.title_format.format(name=obj.name, archive=settings.NEWSPAPER_NAME)

    def subtitle(self, obj):
        return self.subtitle_format.format(name=obj.name, archive=settings.NEWSPAPER_NAME)

    def link(self, obj):
        return public_path(obj.get_absolute_url())


class PaperFeed(ObjectFeed):
    model = Newspaper
    slug_argument = "paper"
    title_format = "{name} · 最新文章"
    subtitle_format = "{name}最新收录的文章"
    feed_articles = staticmethod(lambda paper: Article.objects.filter(paper=paper))


class TopicFeed(ObjectFeed):
    model = Topic
    title_format = "{archive} · 主题：{name}"
    subtitle_format = "{archive}“{name}”主题的最新文章"
    feed_articles = staticmethod(lambda topic: Article.objects.filter(topics=topic))


class ReporterFeed(ObjectFeed):
    model = Reporter
    title_format = "{archive} · {name}的文章"
    subtitle_format = "{archive}署名{name}的最新文章"
    # Through a subquery: a reporter with two roles on one article lists it once.
    feed_articles = staticmethod(
        lambda reporter: Article.objects.filter(pk__in=Byline.objects.filter(reporter=reporter).values("article_id"))
    )
