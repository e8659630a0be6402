"""Reading an issue as printed: pages (版面) from the page headers of a dump,
a page navigator, one page at /papers/SLUG/issues/DATE/pages/N/, continued articles
linked both ways, and an issue without page information saying so."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from archive import search
from archive.ingest import ingest_file
from archive.models import Article, ArticleKind, Issue, Newspaper

PAGES_DUMP = Path(__file__).resolve().parent / "data" / "pages" / "pages_2024-01-15.txt"


@pytest.fixture
def paged_issue(db, clean_index):
    ingest_file(PAGES_DUMP)
    search.drain_queue()
    return Issue.objects.get(publication_date="2024-01-15")


def at(path):
    """``path`` under the address of the title the dump went in under."""
    return f"/papers/{Newspaper.objects.get().slug}{path}"


def text(response):
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def navigator(page):
    nav = re.search(r'<nav aria-label="版面导航".*?</nav>', page, re.S)
    assert nav, "no page navigator"
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav[0])


def test_the_dumps_page_headers_give_the_issues_pages(paged_issue, client):
    page = text(client.get(paged_issue.get_absolute_url()))
    assert navigator(page) == [
        (at("/issues/2024-01-15/pages/1/"), "第1版 要闻"),
        (at("/issues/2024-01-15/pages/2/"), "第2版 综合新闻"),
        (at("/issues/2024-01-15/pages/3/"), "第3版 文化"),
    ]
    # Page by page, each under its own heading, in printed order.
    headings = re.findall(r'<h2 id="page-(\d)" class="section-title"><a href="[^"]+">([^<]+)</a>', page)
    assert headings == [("1", "第1版 要闻"), ("2", "第2版 综合新闻"), ("3", "第3版 文化")]
    assert "没有版面信息" not in page


def test_one_page_lists_its_own_articles_with_links_to_the_pages_around_it(paged_issue, client):
    page = text(client.get(at("/issues/2024-01-15/pages/2/")))
    on_page = set(paged_issue.articles.filter(section__name="第2版 综合新闻"))
    assert on_page and {a.kind for a in on_page} >= {ArticleKind.CONTINUATION, ArticleKind.PHOTO}
    listed = re.findall(r'<h3 class="headline"><a href="(/papers/[\w-]+/articles/\d+/)">', page)
    assert listed == [a.get_absolute_url() for a in sorted(on_page, key=lambda a: a.position)]
    assert f'<a rel="prev" href="{at("/issues/2024-01-15/pages/1/")}">← 上一版：第1版 要闻</a>' in page
    assert f'<a rel="next" href="{at("/issues/2024-01-15/pages/3/")}">下一版：第3版 文化 →</a>' in page
    assert f'<a href="{at("/issues/2024-01-15/pages/2/")}" aria-current="page">第2版 综合新闻</a>' in page
    assert "<title>第2版 综合新闻 · 2024年1月15日 · " in page


@pytest.mark.parametrize("number", [0, 4, 99])
def test_a_page_the_issue_does_not_have_is_404(paged_issue, client, number):
    assert client.get(at(f"/issues/2024-01-15/pages/{number}/")).status_code == 404


def test_an_issue_without_page_information_says_so_and_offers_no_page_view(ingested_samples, client):
    issue = Issue.objects.get(publication_date="2024-01-12")
    assert not issue.articles.filter(section__isnull=False).exists()
    page = text(client.get(issue.get_absolute_url()))
    assert "这一期的文本没有版面信息" in page
    assert 'aria-label="版面导航"' not in page and "/pages/" not in page
    assert client.get(at("/issues/2024-01-12/pages/1/")).status_code == 404


def test_continued_parts_link_each_other_by_page_and_the_second_does_not_repeat_its_mark(paged_issue, client):
    first = Article.objects.get(issue=paged_issue, continued_to="第2版")
    second = Article.objects.get(issue=paged_issue, continued_from="第1版")
    first_page = text(client.get(first.get_absolute_url()))
    second_page = text(client.get(second.get_absolute_url()))
    assert f'<a href="{second.get_absolute_url()}">下转第2版</a>' in first_page
    assert f'<a href="{first.get_absolute_url()}">上接第1版</a>' in second_page
    body = re.search(r'<div class="article-body">\s*<p>([^<]*)</p>', second_page)[1]
    assert second.paragraphs[0].startswith("(上接第1版)")
    assert body == second.paragraphs[0].removeprefix("(上接第1版)")


def test_every_issue_page_searches_within_the_issue(paged_issue, client):
    for url in (at("/issues/2024-01-15/"), at("/issues/2024-01-15/pages/1/")):
        page = text(client.get(url))
        form = re.search(r'<form class="issue-search".*?</form>', page, re.S)[0]
        assert 'name="from" value="2024-01-15"' in form and 'name="to" value="2024-01-15"' in form
    results = text(client.get("/search/", {"q": "供暖", "from": "2024-01-15", "to": "2024-01-15"}))
    assert "我市冬季供暖运行平稳" in re.sub(r"</?mark>", "", results)


def test_photo_news_on_a_page_is_titled_by_its_caption(paged_issue, client):
    photo = Article.objects.get(issue=paged_issue, kind=ArticleKind.PHOTO)
    assert photo.title == "图片新闻：志愿者为居民讲解“冬季安全用电”常识"
    assert photo.title in text(client.get(at("/issues/2024-01-15/pages/2/")))


def test_an_article_links_the_printed_page_it_is_on(paged_issue, client):
    article = Article.objects.get(issue=paged_issue, headline="我市新增3条公交线路")
    page = text(client.get(article.get_absolute_url()))
    assert f'<li><a href="{at("/issues/2024-01-15/pages/2/")}">第2版 综合新闻</a></li>' in page
