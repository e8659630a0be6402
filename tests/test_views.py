"""The public pages, feeds and sitemap, rendered through Django's test client
against the ingested sample issues, with bounded query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse

from archive.caching import bump_cache_generation, cache_generation
from archive.models import Article, ArticleKind, Byline, BylineRole, Issue, Newspaper, Reporter, Topic
from archive.views import articles, common, errors, reporters, titles

# Query budgets per page. They do not grow with the archive: every listing is
# fetched with select_related/prefetch_related and aggregates in single queries.
MAX_QUERIES = {
    "home": 14,
    "paper_list": 6,
    "paper": 14,
    "issue": 8,
    "archive_index": 5,
    "archive_year": 8,
    "archive_month": 8,
    "article": 12,
    "reporter_list": 6,
    "reporter_detail": 10,
    "topic_list": 4,
    "topic_detail": 10,
}


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Pages are cached per generation; each test starts from an empty cache
    and serves static files without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def samples(ingested_samples):
    return ingested_samples


def html(response):
    return response.content.decode()


def newest_issue():
    return Issue.objects.order_by("-publication_date").first()


def paper():
    """The one title the samples go under (named by NEWSPAPER_NAME)."""
    return Newspaper.objects.get()


def at(route, *args):
    """A URL under the samples' title."""
    return reverse(f"archive:{route}", args=[paper().slug, *args])


def article_by_headline(headline):
    return Article.objects.get(headline=headline)


def urls_of_every_page():
    issue = newest_issue()
    article = Article.objects.filter(bylines__isnull=False).order_by("pk").first()
    reporter = Reporter.objects.order_by("slug").first()
    topic = Topic.objects.get(name="经济")
    day = issue.publication_date
    return {
        "home": reverse("archive:home"),
        "paper_list": reverse("archive:paper_list"),
        "paper": paper().get_absolute_url(),
        "issue": issue.get_absolute_url(),
        "archive_index": at("archive_index"),
        "archive_year": at("archive_year", day.year),
        "archive_month": at("archive_month", day.year, day.month),
        "article": article.get_absolute_url(),
        "reporter_list": reverse("archive:reporter_list"),
        "reporter_detail": reporter.get_absolute_url(),
        "topic_list": reverse("archive:topic_list"),
        "topic_detail": topic.get_absolute_url(),
    }


# Every page -----------------------------------------------------------------


@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_every_page_renders_within_its_query_budget_with_title_og_and_canonical(
    samples, client, django_assert_max_num_queries, name
):
    url = urls_of_every_page()[name]
    with django_assert_max_num_queries(MAX_QUERIES[name]):
        response = client.get(url)
    assert response.status_code == 200
    page = html(response)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "呼和浩特日报" in title
    assert '<meta property="og:title" content="' in page
    assert '<meta property="og:type" content="' in page
    assert f'<link rel="canonical" href="http://testserver{url}">' in page
    assert f'<meta property="og:url" content="http://testserver{url}">' in page
    # Landmarks and the search box on every page.
    assert '<main id="main"' in page and 'role="search"' in page and '<nav aria-label="主导航"' in page
    # No inline styles or scripts: the CSP allows only 'self'.
    assert "style=" not in page and "<script>" not in page


@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_a_cached_page_is_served_without_queries_until_the_generation_changes(
    samples, client, django_assert_num_queries, django_assert_max_num_queries, name
):
    url = urls_of_every_page()[name]
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    bump_cache_generation()
    with django_assert_max_num_queries(MAX_QUERIES[name]) as captured:
        client.get(url)
    assert len(captured.captured_queries) > 0


def test_bumping_changes_the_generation_seen_by_other_processes_through_the_marker_file(settings):
    before = cache_generation()
    bump_cache_generation()
    after_bump = cache_generation()
    assert after_bump != before
    # Another process has its own (empty) local-memory cache: only the file tells it.
    cache.clear()
    fresh_process_view = cache_generation()
    bump_cache_generation()
    cache.clear()
    assert cache_generation() != fresh_process_view


def test_ingest_makes_cached_pages_stale(transactional_db, clean_index, client, sample_copy):
    from archive.ingest import ingest_file
    from tests.conftest import SAMPLE_FILES

    ingest_file(SAMPLE_FILES[0])
    page_before = html(client.get(reverse("archive:home")))
    ingest_file(SAMPLE_FILES[1])
    newest = newest_issue()
    page_after = html(client.get(reverse("archive:home")))
    assert page_after != page_before
    assert newest.get_absolute_url() in page_after


# Home -----------------------------------------------------------------------


def test_home_lists_the_titles_with_counts_and_the_newest_articles(samples, client):
    page = html(client.get(reverse("archive:home")))
    assert "共收录 <strong>1</strong> 种报纸、<strong>2</strong> 期、<strong>18</strong> 篇文章" in page
    assert f'<a href="{paper().get_absolute_url()}">呼和浩特日报</a>' in page
    assert f'href="{newest_issue().get_absolute_url()}"' in page
    newest = Article.objects.newest_first()[: titles.HOME_ARTICLES]
    for article in newest:
        assert article.get_absolute_url() in page
    for topic in Topic.objects.all():
        assert topic.get_absolute_url() in page


def test_a_title_home_shows_its_newest_issue_counts_calendar_and_topics(samples, client):
    page = html(client.get(paper().get_absolute_url()))
    issue = newest_issue()
    assert issue.publication_date == datetime.date(2024, 1, 12)
    assert "2024年1月12日" in page
    assert "共收录 <strong>2</strong> 期、<strong>18</strong> 篇文章" in page
    for article in issue.articles.all():
        assert article.get_absolute_url() in page
    # The calendar marks the issue's day and links it.
    assert 'aria-label="2024年1月12日，9 篇文章" aria-current="date"' in page
    assert at("archive_year", 2023) in page
    assert reverse("archive:feed_paper", args=[paper().slug]) in page


def test_home_of_an_empty_archive_says_how_to_fill_it(db, client):
    response = client.get(reverse("archive:home"))
    assert response.status_code == 200
    assert "python manage.py ingest" in html(response)


# Issues and dates -----------------------------------------------------------


def test_issue_page_lists_articles_in_printed_order_with_kinds_and_neighbours(samples, client):
    issue = newest_issue()
    page = html(client.get(issue.get_absolute_url()))
    positions = [page.index(article.get_absolute_url()) for article in issue.articles.order_by("position")]
    assert positions == sorted(positions)
    for label in ("消息", "评论", "专访", "图片", "转版"):
        assert f">{label}</span>" in page
    # The kicker and the headline as printed.
    assert "贯彻落实市委十三届七次全会暨全市经济工作会议精神" in page
    older = Issue.objects.get(publication_date=datetime.date(2023, 5, 25))
    assert f'rel="prev" href="{older.get_absolute_url()}"' in page
    assert "已是最新一期" in page
    older_page = html(client.get(older.get_absolute_url()))
    assert f'rel="next" href="{issue.get_absolute_url()}"' in older_page


def test_issue_page_groups_articles_by_printed_page(samples, client):
    from archive.models import Section

    issue = newest_issue()
    front = Section.objects.create(name="第1版 要闻")
    issue.articles.filter(position__lte=3).update(section=front)
    page = html(client.get(issue.get_absolute_url()))
    assert '第1版 要闻</a><span class="count">3 篇</span>' in page
    # The articles after the labelled page carry no label of their own.
    assert '未标明版面</a><span class="count">6 篇</span>' in page


@pytest.mark.parametrize("day", ["2024-01-13", "2024-02-30", "1900-01-01"])
def test_a_day_without_an_issue_is_a_styled_404(samples, client, day):
    response = client.get(f"{paper().get_absolute_url()}issues/{day}/")
    assert response.status_code == 404
    page = html(response)
    assert "页面不存在" in page and 'role="search"' in page


def test_the_date_box_goes_to_that_issue_or_offers_the_nearest_ones(samples, client):
    jump = at("issue_jump")
    assert client.get(jump, {"date": "2024-01-12"})["Location"] == at("issue_detail", "2024-01-12")
    between = client.get(jump, {"date": "2023-06-01"})
    assert between.status_code == 404
    page = html(between)
    assert "呼和浩特日报2023年6月1日没有出版" in page
    assert f'<a rel="prev" href="{at("issue_detail", "2023-05-25")}">← 前一期：2023年5月25日' in page
    assert f'<a rel="next" href="{at("issue_detail", "2024-01-12")}">后一期：2024年1月12日' in page
    later = html(client.get(jump, {"date": "2030-01-01"}))
    assert "2030年1月1日没有出版" in later and at("issue_detail", "2024-01-12") in later and 'rel="next"' not in later
    assert client.get(jump)["Location"] == at("archive_index")
    bad = client.get(jump, {"date": "去年"})
    assert bad.status_code == 400
    assert "不是有效日期" in html(bad)


def test_year_archive_marks_issue_days_and_counts_articles(samples, client):
    page = html(client.get(at("archive_year", 2023)))
    assert "1 期报纸，9 篇文章" in page
    assert f'href="{at("issue_detail", "2023-05-25")}" aria-label="2023年5月25日，9 篇文章"' in page
    assert at("archive_month", 2023, 5) in page
    # Twelve months are drawn, next year with issues is linked.
    assert page.count('<table class="calendar calendar-compact">') == 12
    assert f'rel="next" href="{at("archive_year", 2024)}"' in page


def test_month_archive_lists_its_issues(samples, client):
    page = html(client.get(at("archive_month", 2024, 1)))
    assert "2024年1月" in page and "星期五" in page
    assert f'href="{at("issue_detail", "2024-01-12")}"' in page
    assert f'rel="prev" href="{at("archive_month", 2023, 5)}"' in page


@pytest.mark.parametrize("path", ["archive/1999/", "archive/2024/2/", "archive/2024/13/", "archive/0/"])
def test_date_archives_without_issues_are_404(samples, client, path):
    assert client.get(paper().get_absolute_url() + path).status_code == 404


def test_archive_index_lists_years(samples, client):
    page = html(client.get(at("archive_index")))
    assert "2023年" in page and "2024年" in page


# Articles -------------------------------------------------------------------


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
    related = articles.related_for(article)
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


# Reporters ------------------------------------------------------------------


def test_reporter_list_counts_articles_and_years(samples, client):
    page = html(client.get(reverse("archive:reporter_list")))
    reporter = Reporter.objects.get(name="吕会生")
    row = re.search(rf'{reporter.get_absolute_url()}">吕会生</a></th>.*?</tr>', page, re.S).group(0)
    assert '<td class="num">3</td>' in row
    assert "2023–2024" in row
    assert f"共 {Reporter.objects.count()} 位" in page


def test_reporter_list_filters_by_role_and_initial_and_sorts(samples, client):
    url = reverse("archive:reporter_list")
    photographers = html(client.get(url, {"role": BylineRole.PHOTOGRAPHER}))
    for byline in Byline.objects.filter(role=BylineRole.PHOTOGRAPHER).select_related("reporter"):
        assert byline.reporter.get_absolute_url() in photographers
    assert Reporter.objects.get(name="耿欣").get_absolute_url() not in photographers

    by_letter = html(client.get(url, {"initial": "l"}))
    assert Reporter.objects.get(name="吕会生").get_absolute_url() in by_letter
    assert Reporter.objects.get(name="耿欣").get_absolute_url() not in by_letter

    by_count = html(client.get(url, {"sort": "count"}))
    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', by_count)
    counts = [Article.objects.filter(bylines__reporter__name=name).distinct().count() for name in names]
    assert names[0] == "吕会生"
    assert counts == sorted(counts, reverse=True)
    by_name = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html(client.get(url)))
    slugs = [Reporter.objects.get(name=name).slug for name in by_name]
    assert slugs == sorted(slugs)


def test_reporter_list_refuses_unknown_filter_values_and_explains_empty_results(samples, client):
    url = reverse("archive:reporter_list")
    response = client.get(url, {"role": "boss", "sort": "height", "initial": "é", "page": "x"})
    assert response.status_code == 400 and 'role="alert"' in html(response)
    assert f"共 {Reporter.objects.count()} 位" in html(client.get(url))
    empty = html(client.get(url, {"role": BylineRole.CORRESPONDENT}))
    assert "没有符合条件的记者" in empty


def test_reporter_page_lists_articles_newest_first_with_chart_and_co_reporters(samples, client):
    reporter = Reporter.objects.get(name="吕会生")
    page = html(client.get(reporter.get_absolute_url()))
    articles = list(Article.objects.filter(bylines__reporter=reporter).order_by("-issue__publication_date", "position"))
    positions = [page.index(article.get_absolute_url()) for article in articles]
    assert positions == sorted(positions)
    assert "<svg" in page and "2023年 2 篇" in page and "2024年 1 篇" in page
    assert "没有与他人联合署名的文章" in page
    assert reverse("archive:feed_reporter", args=[reporter.slug]) in page

    pair = html(client.get(Reporter.objects.get(name="若谷").get_absolute_url()))
    assert Reporter.objects.get(name="齐欣茹").get_absolute_url() in pair


def test_reporter_pages_paginate_with_stable_order(samples, client, monkeypatch):
    monkeypatch.setattr(common, "ARTICLES_PER_PAGE", 1)
    reporter = Reporter.objects.get(name="吕会生")
    seen = []
    for number in (1, 2, 3):
        page = html(client.get(reporter.get_absolute_url(), {"page": number}))
        seen.append(re.findall(r'<h3 class="headline"><a href="(/papers/[\w-]+/articles/\d+/)"', page))
        assert f"第 {number} / 3 页" in page
    flat = [url for urls in seen for url in urls]
    assert len(flat) == 3 and len(set(flat)) == 3


def test_reporter_list_pages_keep_filters_and_cover_everyone_once(samples, client, monkeypatch):
    monkeypatch.setattr(reporters, "REPORTERS_PER_PAGE", 5)
    url = reverse("archive:reporter_list")
    first = html(client.get(url, {"sort": "count"}))
    assert 'href="?sort=count&amp;page=2"' in first
    names = []
    for number in (1, 2, 3):
        page = html(client.get(url, {"sort": "count", "page": number}))
        names += re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page)
    assert sorted(names) == sorted(Reporter.objects.values_list("name", flat=True))


def test_topic_pages_paginate_newest_first(samples, client, monkeypatch):
    monkeypatch.setattr(common, "ARTICLES_PER_PAGE", 2)
    topic = Topic.objects.get(name="经济")
    expected = [
        article.get_absolute_url() for article in topic.articles.order_by("-issue__publication_date", "position", "pk")
    ]
    seen = []
    for number in range(1, (len(expected) + 1) // 2 + 1):
        page = html(client.get(topic.get_absolute_url(), {"page": number}))
        seen += re.findall(r'<h3 class="headline"><a href="(/papers/[\w-]+/articles/\d+/)"', page)
    assert seen == expected


def test_unknown_reporter_is_404(samples, client):
    assert client.get("/reporters/nobody-here/").status_code == 404


# Topics ---------------------------------------------------------------------


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


# Feeds and sitemap ----------------------------------------------------------


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


def test_sitemap_index_and_sections_cover_every_issue_and_article(samples, client):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    body = index.content.decode()
    for section in ("pages", "papers", "issues", "articles", "reporters", "topics"):
        assert f"/sitemap-{section}.xml" in body
    articles = client.get("/sitemap-articles.xml").content.decode()
    assert articles.count("<url>") == Article.objects.count()
    assert f"<loc>http://testserver{Article.objects.first().get_absolute_url()}</loc>" in articles
    issues = client.get("/sitemap-issues.xml").content.decode()
    assert f"<loc>http://testserver{at('issue_detail', '2024-01-12')}</loc>" in issues
    papers = client.get("/sitemap-papers.xml").content.decode()
    assert f"<loc>http://testserver{paper().get_absolute_url()}</loc>" in papers


# Errors ---------------------------------------------------------------------


def test_unknown_url_gets_the_styled_404(db, client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = html(response)
    assert "页面不存在" in page and "按日期浏览" in page and "<title>页面不存在" in page
    assert reverse("archive:paper_list") in page


def test_server_error_page_is_styled_and_needs_no_database(settings):
    request = RequestFactory().get("/")
    response = errors.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错了" in page and "css/site.css" in page and 'href="/"' in page


def test_shared_file_cache_serves_every_process_and_never_fails_a_page(tmp_path):
    """The default page cache: files shared by the workers; a
    directory that cannot be written loses the caching, not the page."""
    from archive.caching import SharedFileCache

    writer = SharedFileCache(str(tmp_path / "pages"), {})
    reader = SharedFileCache(str(tmp_path / "pages"), {})
    writer.set("page", (b"<html>", {"Content-Type": "text/html"}))
    assert reader.get("page") == (b"<html>", {"Content-Type": "text/html"})
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the directory should be")
    broken = SharedFileCache(str(blocked / "pages"), {})
    broken.set("page", b"x")
    assert broken.get("page") is None
