"""Absolute addresses (citation, canonical link, og:url, feeds, sitemap, API,
robots.txt) name the host a page was served on unless SITE_URL says
otherwise; the root files browsers ask for; the README's curl examples."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import feedparser
import pytest
from django.core.cache import cache

from archive.models import Article

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOST = "archive.test:8611"


@pytest.fixture(autouse=True)
def served_elsewhere(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "archive.test", "other.test"]
    settings.SITE_URL = ""
    cache.clear()


def get(client, url, host=HOST, data=None):
    return client.get(url, data, HTTP_HOST=host)


def absolute_links(client, article, host=HOST):
    """Every absolute address the site gives for ``article``."""
    page = get(client, article.get_absolute_url(), host).content.decode()
    api = json.loads(get(client, f"/api/articles/{article.pk}/", host).content)
    feed = get(client, "/feeds/latest/", host).content.decode()
    sitemap = get(client, "/sitemap-articles.xml", host).content.decode()
    path = article.get_absolute_url()
    return {
        "canonical": re.search(r'<link rel="canonical" href="([^"]+)"', page)[1],
        "og:url": re.search(r'<meta property="og:url" content="([^"]+)"', page)[1],
        "citation": re.search(r'id="citation-gbt7714"[^>]*>[^<]*?(https?://[^\s<，。]+/)', page)[1],
        "api": api["url"],
        "feed id": re.search(rf"<id>(\S+{re.escape(path)})</id>", feed)[1],
        "feed link": re.search(rf'<link href="(\S+{re.escape(path)})"', feed)[1],
        "sitemap": re.search(rf"<loc>(\S+{re.escape(path)})</loc>", sitemap)[1],
    }


def test_without_site_url_every_address_names_the_host_the_page_was_served_on(ingested_samples, client):
    article = Article.objects.order_by("pk").first()
    links = absolute_links(client, article)
    expected = f"http://{HOST}{article.get_absolute_url()}"
    assert links == dict.fromkeys(links, expected)


def test_a_page_cached_for_one_host_is_not_served_to_another(ingested_samples, client):
    article = Article.objects.order_by("pk").first()
    absolute_links(client, article, host=HOST)
    other = absolute_links(client, article, host="other.test")
    assert set(other.values()) == {f"http://other.test{article.get_absolute_url()}"}


def test_site_url_when_set_names_every_address(ingested_samples, client, settings):
    settings.SITE_URL = "https://archive.example.org"
    article = Article.objects.order_by("pk").first()
    links = absolute_links(client, article)
    assert set(links.values()) == {f"https://archive.example.org{article.get_absolute_url()}"}


@pytest.mark.parametrize("site_url", ["", "https://archive.example.org"])
def test_a_feed_names_itself_and_its_page_at_the_same_site_as_its_entries(ingested_samples, client, settings, site_url):
    settings.SITE_URL = site_url
    root = site_url or f"http://{HOST}"
    feed = feedparser.parse(get(client, "/feeds/latest/").content)
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": f"{root}/feeds/latest/", "alternate": f"{root}/"}
    assert feed.entries and all(entry.link.startswith(root + "/") for entry in feed.entries)


def test_the_sitemap_index_names_the_same_address_as_its_entries(ingested_samples, client, settings):
    index = get(client, "/sitemap.xml").content.decode()
    assert f"<loc>http://{HOST}/sitemap-articles.xml</loc>" in index
    cache.clear()
    settings.SITE_URL = "https://archive.example.org"
    index = get(client, "/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", index)
    assert locations and all(loc.startswith("https://archive.example.org/sitemap-") for loc in locations)


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(db, client):
    response = get(client, "/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert f"Sitemap: http://{HOST}/sitemap.xml" in body.splitlines()
    assert "Disallow: /admin/" in body.splitlines()
    assert get(client, "/sitemap.xml").status_code == 200


def test_favicon_is_an_icon_and_every_page_names_it(db, client):
    response = get(client, "/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    icon = b"".join(response.streaming_content)
    # ICONDIR: reserved 0, type 1 (icon), at least one image.
    assert icon[:4] == b"\x00\x00\x01\x00" and icon[4] >= 1
    assert '<link rel="icon" href="/favicon.ico"' in get(client, "/").content.decode()


def test_every_css_variable_used_is_defined():
    sheets = {path.name: path.read_text() for path in (PROJECT_DIR / "static" / "css").glob("*.css")}
    defined = {name for text in sheets.values() for name in re.findall(r"(--[\w-]+)\s*:", text)}
    used = {(sheet, name) for sheet, text in sheets.items() for name in re.findall(r"var\(\s*(--[\w-]+)", text)}
    assert used, "no stylesheet uses variables: the test reads the wrong files"
    assert {(sheet, name) for sheet, name in used if name not in defined} == set()


@pytest.mark.parametrize(
    ("query", "title"),
    [("养老服务", "“养老服务”的搜索结果"), ('"养老服务"', '"养老服务"的搜索结果'), ("“放管服”", "“放管服”的搜索结果")],
)
def test_the_search_title_does_not_double_the_querys_quotes(ingested_samples, client, query, title):
    page = get(client, "/search/", data={"q": query}).content.decode()
    # The template escapes straight quotes.
    page = page.replace("&quot;", '"')
    assert f"<title>{title} · " in page
    assert f"<h1>{title}</h1>" in page


def readme_curl_examples():
    """[(command, status)]: each curl example of the README and the API docs,
    with the status its shown answer names (``{"error": {"status": 400 …``),
    200 where the answer shown is not an error."""
    examples = []
    for name in ("README.md", "docs/api.md"):
        lines = (PROJECT_DIR / name).read_text().splitlines()
        for number, line in enumerate(lines):
            line = line.removeprefix("$ ")
            if line.startswith("curl "):
                answer = lines[number + 1] if number + 1 < len(lines) else ""
                shown = re.search(r'"error": \{"status": (\d{3})', answer)
                examples.append((line, shown.group(1) if shown else "200"))
    return examples


def test_the_readme_has_curl_examples():
    examples = readme_curl_examples()
    assert len(examples) >= 5
    assert {"200", "400", "404"} <= {status for _, status in examples}


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_readme_curl_examples_work_as_written(live_server, clean_index, settings):
    """Each example, run by curl against the sample archive: the address it
    sends is ASCII (Chinese percent-encoded) and the answer is JSON, 200 unless
    the example shows an error."""
    from archive import search
    from archive.ingest import ingest_file
    from tests.conftest import SAMPLE_FILES

    for path in SAMPLE_FILES:
        ingest_file(path)
    search.drain_queue()
    for command, expected in readme_curl_examples():
        argv = [part.replace("http://127.0.0.1:8000", live_server.url) for part in shlex.split(command)]
        done = subprocess.run(
            [*argv, "-s", "-o", "/dev/stderr", "-w", "%{http_code} %{url_effective}"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        status, url = done.stdout.split(" ", 1)
        assert url.isascii(), f"{command}: sends a raw non-ASCII address {url}"
        assert status == expected, f"{command}: HTTP {status}, the docs show {expected}\n{done.stderr[:500]}"
        json.loads(done.stderr)
