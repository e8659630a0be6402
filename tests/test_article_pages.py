"""An article's page: the article as printed, its neighbours in the issue,
the other part of a continued article, related articles, an untitled photo,
an unknown article."""

from __future__ import annotations

import datetime

from django.db.models import F

from archive import continuations
from archive.models import Article, ArticleKind, Issue, Newspaper, Reporter, Topic
from archive.views import articles as article_views
from tests.site_pages import article_by_headline, at, html, newest_issue


def test_article_page_shows_the_article_as_printed_with_links_and_citation(samples, client):
    article = article_by_headline("完成好两件大事 推动首府民族工作高质量发展")
    page = html(client.get(article.get_absolute_url()))
    assert article.kicker in page
    for paragraph in article.paragraphs:
        assert f"<p>{paragraph}</p>" in page.replace("&quot;", '"').replace("&#x27;", "'")
    reporter = Reporter.objects.get(name="刘沙沙")
    assert f'href="{reporter.get_absolute_url()}">刘沙沙</a>' in page
    assert "作者" in page
    assert Topic.objects.get(name="民族").get_absolute_url() in page
    citation = f"刘沙沙. {article.headline}[N/OL]. 呼和浩特日报, 2024-01-12["
    assert citation in page
    assert f"http://testserver{article.get_absolute_url()}." in page
    assert "复制 GB/T 7714-2015 格式" in page


def test_article_page_links_the_previous_and_next_article_in_the_issue(samples, client):
    issue = newest_issue()
    first, second, third = issue.articles.order_by("position")[:3]
    page = html(client.get(second.get_absolute_url()))
    assert f'rel="prev" href="{first.get_absolute_url()}"' in page
    assert f'rel="next" href="{third.get_absolute_url()}"' in page
    assert "本期第一篇" in html(client.get(first.get_absolute_url()))


def test_article_page_shows_event_date_when_it_differs_from_the_issue(samples, client):
    article = Article.objects.filter(event_date__isnull=False).exclude(event_date=F("issue__publication_date")).first()
    page = html(client.get(article.get_absolute_url()))
    assert "事件日期" in page
    assert f"{article.event_date.month}月{article.event_date.day}日" in page


def test_article_page_links_the_other_part_of_a_continued_article(db, client):
    paper, day = Newspaper.for_setting(), datetime.date(2020, 3, 2)
    issue = Issue.objects.create(paper=paper, publication_date=day, source_name="t.txt", source_sha256="a")
    first = Article.objects.create(
        issue=issue, position=1, headline="开头在头版", paragraphs=["上半部分。"], continued_to="第3版"
    )
    Article.objects.create(issue=issue, position=2, headline="别的新闻", paragraphs=["无关。"])
    second = Article.objects.create(
        issue=issue,
        position=3,
        headline="开头在头版",
        paragraphs=["下半部分。"],
        kind=ArticleKind.CONTINUATION,
        continued_from="第1版",
    )
    # As ingest and editing do after writing an issue's articles.
    continuations.link_issue(issue.pk)
    first_page = html(client.get(first.get_absolute_url()))
    second_page = html(client.get(second.get_absolute_url()))
    assert f'（<a href="{second.get_absolute_url()}">下转第3版</a>：开头在头版）' in first_page
    assert f'（<a href="{first.get_absolute_url()}">上接第1版</a>：开头在头版）' in second_page


def test_a_continuation_whose_other_part_is_not_in_the_archive_is_shown_without_a_link(samples, client):
    article = Article.objects.get(kind=ArticleKind.CONTINUATION)
    page = html(client.get(article.get_absolute_url()))
    assert f"（上接{article.continued_from}）" in page


def test_related_articles_share_topic_and_reporter(samples, client):
    article = article_by_headline("我区为完成好“两件大事”提供坚强财力保障")
    sibling = article_by_headline("今年1至4月全区规模以上工业增加值增长7%")
    related = article_views.related_for(article)
    assert article not in related
    assert sibling in related
    page = html(client.get(article.get_absolute_url()))
    assert "相关文章" in page and sibling.get_absolute_url() in page


def test_untitled_photo_is_titled_by_its_caption(samples, client):
    photo = Article.objects.filter(kind=ArticleKind.PHOTO, headline="").first()
    page = html(client.get(photo.get_absolute_url()))
    assert f'<h1 class="headline" id="article-title">{photo.title}</h1>' in page


def test_unknown_article_is_404(samples, client):
    assert client.get(at("article_detail", 999999)).status_code == 404
    assert client.get("/articles/999999/").status_code == 404
