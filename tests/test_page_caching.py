"""Every public page: within its query budget, with its title, og tags and
canonical link, served from the page cache until the cache generation
changes; the file cache the workers share."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from archive.caching import bump_cache_generation, cache_generation
from archive.models import Article, Reporter, Topic
from tests.site_pages import at, html, newest_issue, paper

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
    "article": 9,
    "reporter_list": 6,
    "reporter_detail": 10,
    "topic_list": 4,
    "topic_detail": 10,
}


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
