"""Atom feeds as a feed reader sees them: the newest articles, a topic's and a
reporter's; markup in an article or an editor's field arrives as text, never
as HTML that runs."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import feedparser
import pytest
from django.urls import reverse

from archive.models import Article, Byline, BylineRole, Issue, Newspaper, Reporter, Topic

SCRIPT = "<script>alert('feed')</script>"
IMAGE = '<img src=x onerror="alert(1)">'
LINK = '<a href="javascript:alert(2)">点我</a>'


class Markup(HTMLParser):
    """Tags and attributes of an HTML fragment, as a browser would build them."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)

    def handle_data(self, data):
        self.text.append(data)


def markup_of(html):
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture
def hostile_article(db):
    paper, day = Newspaper.for_setting(), datetime.date(2021, 5, 6)
    issue = Issue.objects.create(paper=paper, publication_date=day, source_name="x.txt", source_sha256="x")
    article = Article.objects.create(
        issue=issue,
        position=1,
        headline=f"标题{SCRIPT}",
        paragraphs=[f"第一段{IMAGE}正文。", f"第二段{LINK}。", "第三段 a < b && c > d。"],
    )
    reporter = Reporter.objects.create(name="记者<b>甲</b>")
    Byline.objects.create(article=article, reporter=reporter, role=BylineRole.REPORTER, position=0)
    topic = Topic.ensure_fixed_list()
    first = next(iter(topic.values()))
    article.topics.add(first)
    return article, reporter, first


def reader_view(client, url):
    """The feed parsed twice: as feedparser cleans it, and raw (what a reader
    that trusts the feed would render)."""
    body = client.get(url).content
    return feedparser.parse(body), feedparser.parse(body, sanitize_html=False)


def test_feed_summaries_show_markup_as_text_and_carry_no_active_html(client, hostile_article):
    article, reporter, topic = hostile_article
    urls = [
        reverse("archive:feed_latest"),
        reverse("archive:feed_reporter", args=[reporter.slug]),
        reverse("archive:feed_topic", args=[topic.slug]),
    ]
    for url in urls:
        cleaned, raw = reader_view(client, url)
        assert not raw.bozo, (url, raw.bozo_exception)
        (entry,) = raw.entries
        assert entry.summary_detail.type == "text/html"
        summary = markup_of(entry.summary)
        # Only paragraphs; the text shows the characters the article holds.
        assert set(summary.tags) == {"p"}, summary.tags
        assert summary.attributes == []
        shown = "".join(summary.text)
        assert IMAGE in shown and "<a href=" in shown and "a < b && c > d" in shown
        # feedparser's own sanitiser has nothing left to remove.
        assert cleaned.entries[0].summary == entry.summary
        # Title and author are text constructs: shown as typed.
        assert entry.title_detail.type == "text/plain"
        assert entry.title == article.headline
        assert entry.author == reporter.name


def test_feed_summary_is_the_start_of_the_text(client, hostile_article):
    _cleaned, raw = reader_view(client, reverse("archive:feed_latest"))
    shown = "".join(markup_of(raw.entries[0].summary).text)
    text = "".join(hostile_article[0].paragraphs)
    assert shown == text[:200]


def test_atom_feeds_for_newest_topic_and_reporter(samples, client):
    latest = client.get(reverse("archive:feed_latest"))
    assert latest["Content-Type"].startswith("application/atom+xml")
    body = latest.content.decode()
    assert body.count("<entry>") == Article.objects.count()
    assert "<title>我区民政事业高质量发展取得新成效</title>" in body
    topic = Topic.objects.get(name="经济")
    topic_feed = client.get(reverse("archive:feed_topic", args=[topic.slug])).content.decode()
    assert topic_feed.count("<entry>") == topic.articles.count()
    reporter = Reporter.objects.get(name="吕会生")
    reporter_feed = client.get(reverse("archive:feed_reporter", args=[reporter.slug])).content.decode()
    assert reporter_feed.count("<entry>") == 3
    assert "<name>吕会生</name>" in reporter_feed
    assert client.get("/topics/no-such-topic/feed/").status_code == 404
