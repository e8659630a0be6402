"""Hostile query parameters on every page and API route: a 400 with a message
for a bad value of a parameter the page reads, never a 500 anywhere."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.models import Article, Issue, Reporter, Topic
from archive.params import QUERY_PARAMETERS

# Digits that str.isdigit() accepts and int() refuses (or reads differently).
UNICODE_DIGITS = ["²", "³", "①", "③", "１２", "٣", "²0", "1²"]

PAGINATED_PAGES = ["reporter_list", "reporter_detail", "topic_detail"]


@pytest.fixture
def routes(ingested_samples):
    """Every public route, with arguments taken from the stored samples."""
    issue = Issue.objects.order_by("publication_date").first()
    article = Article.objects.order_by("pk").first()
    reporter = Reporter.objects.order_by("pk").first()
    topic = Topic.objects.order_by("pk").first()
    day, slug = issue.publication_date, issue.paper.slug
    return {
        "home": reverse("archive:home"),
        "paper_list": reverse("archive:paper_list"),
        "paper_detail": reverse("archive:paper_detail", args=[slug]),
        "issue_jump": reverse("archive:issue_jump", args=[slug]),
        "issue_detail": reverse("archive:issue_detail", args=[slug, day]),
        "issue_page": reverse("archive:issue_page", args=[slug, day, 1]),
        "archive_index": reverse("archive:archive_index", args=[slug]),
        "archive_year": reverse("archive:archive_year", args=[slug, day.year]),
        "archive_month": reverse("archive:archive_month", args=[slug, day.year, day.month]),
        "article_detail": reverse("archive:article_detail", args=[slug, article.pk]),
        "article_reference": reverse("archive:article_reference", args=[slug, article.pk, "ris"]),
        "feed_paper": reverse("archive:feed_paper", args=[slug]),
        "reporter_list": reverse("archive:reporter_list"),
        "reporter_detail": reverse("archive:reporter_detail", args=[reporter.slug]),
        "topic_list": reverse("archive:topic_list"),
        "topic_detail": reverse("archive:topic_detail", args=[topic.slug]),
        "search": reverse("archive:search"),
        "search_references": reverse("archive:search_references", args=["bib"]),
        "feed_latest": reverse("archive:feed_latest"),
        "feed_topic": reverse("archive:feed_topic", args=[topic.slug]),
        "feed_reporter": reverse("archive:feed_reporter", args=[reporter.slug]),
        "sitemap": reverse("archive:sitemap"),
        "api_root": reverse("archive:api_root"),
        "api_articles": reverse("archive:api_articles"),
        "api_article": reverse("archive:api_article", args=[article.pk]),
        "api_issues": reverse("archive:api_issues"),
        "api_issue": reverse("archive:api_issue", args=[slug, day]),
        "api_papers": reverse("archive:api_papers"),
        "api_paper": reverse("archive:api_paper", args=[slug]),
        "api_reporters": reverse("archive:api_reporters"),
        "api_reporter": reverse("archive:api_reporter", args=[reporter.slug]),
        "api_topics": reverse("archive:api_topics"),
        "admin_login": reverse("admin:login"),
        "not_found": "/no-such-page/",
        "healthz": "/healthz",
        "robots": "/robots.txt",
    }


def test_unicode_digits_in_page_never_give_a_500_on_any_page(routes):
    client = Client(raise_request_exception=False)
    for name, url in routes.items():
        for digits in UNICODE_DIGITS:
            response = client.get(url, {"page": digits})
            assert response.status_code != 500, (name, digits)


def test_a_unicode_page_number_is_a_400_naming_it_where_pages_are_numbered(routes, client):
    for digits in UNICODE_DIGITS:
        for name in PAGINATED_PAGES:
            response = client.get(routes[name], {"page": digits})
            assert response.status_code == 400, name
            page = response.content.decode()
            assert "页码" in page and "0-9" in page and 'role="alert"' in page
        for name in ["api_articles", "api_issues", "api_reporters"]:
            response = client.get(routes[name], {"page": digits})
            assert response.status_code == 400, name
            assert response.json()["error"]["parameter"] == "page"


def test_pages_that_take_no_page_number_ignore_it(routes, client):
    assert client.get(routes["home"], {"page": "②"}).status_code == 200
    assert client.get(routes["admin_login"], {"page": "②"}).status_code == 200
    missing = client.get(routes["not_found"], {"page": "②"})
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()


def test_the_canonical_address_keeps_only_a_valid_page_number(routes, client, monkeypatch):
    monkeypatch.setattr("archive.views.reporters.REPORTERS_PER_PAGE", 2)
    page = client.get(routes["reporter_list"], {"page": "2"}).content.decode()
    assert re.search(r'rel="canonical" href="[^"]*/reporters/\?page=2"', page)
    bad = client.get(routes["reporter_list"], {"page": "2²"}).content.decode()
    assert re.search(r'rel="canonical" href="[^"]*/reporters/"', bad)


def test_a_bad_search_year_is_a_400_with_the_error_and_no_results(routes, client):
    for value in ["²", "③", "２０２４", "1999x", "-1", "0"]:
        response = client.get(routes["search"], {"q": "发展", "year": value})
        assert response.status_code == 400
        page = response.content.decode()
        assert "年份" in page and 'class="search-error"' in page
        assert "search-hit" not in page and "共找到" not in page


def test_an_invalid_date_shows_the_error_and_no_unfiltered_results(routes, client):
    for params, field in [({"from": "2023-99-01"}, "起始日期"), ({"to": "2024-02-30"}, "结束日期")]:
        for extra in ({}, {"q": "发展"}, {"q": "*"}):
            response = client.get(routes["search"], {**params, **extra})
            assert response.status_code == 400
            page = response.content.decode()
            assert field in page and "不是有效日期" in page
            assert "search-hit" not in page and "共找到" not in page


def test_dates_before_what_the_index_holds_are_clamped_not_a_500(routes, client):
    everything = Article.objects.count()
    for params in [{"from": "0001-01-01"}, {"to": "0002-12-31"}, {"from": "0003-01-01"}]:
        page = client.get(routes["search"], {"q": "*", **params})
        assert page.status_code == 200
        api = client.get(routes["api_articles"], {"q": "*", "page_size": 100, **params})
        assert api.status_code == 200
        if "from" in params:
            # From the year 1 on is the whole archive.
            assert api.json()["count"] == everything
            assert f"共找到 {everything} 篇文章" in page.content.decode()
        else:
            assert api.json()["count"] == 0
        assert client.get(routes["api_articles"], {"page_size": 100, **params}).status_code == 200


def test_a_far_future_end_date_is_the_whole_archive(routes, client):
    data = client.get(routes["api_articles"], {"q": "*", "to": "9999-12-31"}).json()
    assert data["count"] == Article.objects.count()


def test_reporter_list_refuses_unknown_filter_values_with_a_message(routes, client):
    cases = [
        ({"sort": "height"}, "排序"),
        ({"role": "boss"}, "身份"),
        ({"initial": "é"}, "首字母"),
        ({"initial": "ll"}, "首字母"),
    ]
    for params, parameter in cases:
        response = client.get(routes["reporter_list"], params)
        assert response.status_code == 400
        assert parameter in response.content.decode()


def test_the_date_box_refuses_unicode_digits(routes, client):
    response = client.get(routes["issue_jump"], {"date": "２０２４-01-12"})
    assert response.status_code == 400 and "不是有效日期" in response.content.decode()


def test_api_slugs_and_years_refuse_unicode(routes, client):
    assert client.get(routes["api_issues"], {"year": "²"}).json()["error"]["parameter"] == "year"
    assert client.get(routes["api_articles"], {"topic": "主题<script>"}).json()["error"]["parameter"] == "topic"
    assert client.get(routes["api_articles"], {"page_size": "①"}).json()["error"]["parameter"] == "page_size"


# Every route, every parameter ---------------------------------------------------

# The archive's own, and the admin login's "next".
PARAMETER_NAMES = [*QUERY_PARAMETERS, "next"]

hostile_values = st.one_of(
    st.sampled_from(UNICODE_DIGITS),
    st.sampled_from(["0", "-1", "99999999999999999999", "1e3", " 2 ", "0x10", "NaN", "", "*", "%00", "\x00"]),
    st.sampled_from(["0001-01-01", "0002-12-31", "9999-12-31", "2024-02-30", "2023-99-01", "2024-1-1", "+2024-01-01"]),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.text(max_size=30),
    st.text(alphabet="0123456789-²³①③１２", min_size=1, max_size=12),
    st.just("养" * 2000),
)


@pytest.mark.django_db(transaction=False)
def test_no_route_gives_a_500_for_any_parameter(routes):
    """Hypothesis draws a route and a set of hostile parameters; every answer
    is below 500."""
    client = Client(raise_request_exception=False)
    names = sorted(routes)

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(
        name=st.sampled_from(names),
        query=st.dictionaries(st.sampled_from(PARAMETER_NAMES), hostile_values, min_size=1, max_size=4),
    )
    def check(name, query):
        response = client.get(routes[name], query)
        assert response.status_code < 500, (routes[name], query, response.content[:500])

    check()


# The admin's own parameters -------------------------------------------------


@pytest.fixture
def admin_routes(ingested_samples, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-for-the-test-only-123")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    article = Article.objects.order_by("pk").first()
    routes = {
        "articles": reverse("admin:archive_article_changelist"),
        "issues": reverse("admin:archive_issue_changelist"),
        "reporters": reverse("admin:archive_reporter_changelist"),
        "article": reverse("admin:archive_article_change", args=[article.pk]),
    }
    return client, routes


def test_the_admin_refuses_what_django_would_answer_with_a_500(admin_routes):
    client, routes = admin_routes
    long_search = client.get(routes["articles"], {"q": "a" * 100_000})
    assert long_search.status_code == 200
    for url, name in [
        (routes["articles"], "issue__publication_date__year"),
        (routes["issues"], "publication_date__year"),
    ]:
        response = client.get(url, {name: "99999999999999999999"})
        assert response.status_code == 400 and "日期" in response.content.decode()
    assert client.get(routes["article"], {"_to_field": ""}).status_code == 400


ADMIN_PARAMETERS = [
    "p",
    "o",
    "q",
    "e",
    "all",
    "doubts",
    "issue__publication_date__year",
    "publication_date__month",
    "_to_field",
]


def test_no_admin_list_gives_a_500_for_any_parameter(admin_routes):
    client, routes = admin_routes

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(
        name=st.sampled_from(sorted(routes)),
        query=st.dictionaries(st.sampled_from(ADMIN_PARAMETERS), hostile_values, min_size=1, max_size=3),
    )
    def check(name, query):
        response = client.get(routes[name], query)
        assert response.status_code < 500, (routes[name], query, response.content[:300])

    check()
