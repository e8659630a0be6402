"""The list of reporters (roles, initials, sorts, pages) and a reporter's page
(articles newest first, the chart of years, co-reporters)."""

from __future__ import annotations

import re

from django.urls import reverse

from archive.models import Article, Byline, BylineRole, Reporter
from archive.views import common as common_views
from archive.views import reporters as reporter_views
from tests.site_pages import html


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
    monkeypatch.setattr(common_views, "ARTICLES_PER_PAGE", 1)
    reporter = Reporter.objects.get(name="吕会生")
    seen = []
    for number in (1, 2, 3):
        page = html(client.get(reporter.get_absolute_url(), {"page": number}))
        seen.append(re.findall(r'<h3 class="headline"><a href="(/papers/[\w-]+/articles/\d+/)"', page))
        assert f"第 {number} / 3 页" in page
    flat = [url for urls in seen for url in urls]
    assert len(flat) == 3 and len(set(flat)) == 3


def test_reporter_list_pages_keep_filters_and_cover_everyone_once(samples, client, monkeypatch):
    monkeypatch.setattr(reporter_views, "REPORTERS_PER_PAGE", 5)
    url = reverse("archive:reporter_list")
    first = html(client.get(url, {"sort": "count"}))
    assert 'href="?sort=count&amp;page=2"' in first
    names = []
    for number in (1, 2, 3):
        page = html(client.get(url, {"sort": "count", "page": number}))
        names += re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page)
    assert sorted(names) == sorted(Reporter.objects.values_list("name", flat=True))


def test_unknown_reporter_is_404(samples, client):
    assert client.get("/reporters/nobody-here/").status_code == 404
