"""What editors meet: an edit link on the public article page, the article
list newest issue first and searchable by date, a history of their own
changes, an admin in Chinese throughout."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import User
from django.urls import reverse

from archive import editing
from archive.ingest import ingest_file
from archive.models import Article, Issue
from tests.admin_pages import edit_article, first_news_article

PAGES_DUMP = Path(__file__).resolve().parent / "data" / "pages" / "pages_2024-01-15.txt"
# What django-axes prints in English when it has no translation.
AXES_ENGLISH = [
    "Access attempts",
    "Access logs",
    "Access failures",
    "IP Address",
    "User Agent",
    "Attempt Time",
    "Failed Logins",
    "Form Data",
    "Meta Data",
    "Locked Out",
    "Username",
    "Path",
    "Expires At",
    "Logout Time",
    "Axes",
]


def page_text(response):
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def test_an_editor_sees_an_edit_link_on_the_public_page_and_readers_do_not(samples, client, editor):
    article = Article.objects.order_by("pk").first()
    form = reverse("admin:archive_article_change", args=[article.pk])
    # A reader's visit caches the page; the editor still gets the link...
    assert form not in page_text(client.get(article.get_absolute_url()))
    client.force_login(editor)
    page = page_text(client.get(article.get_absolute_url()))
    assert f'<p class="edit-link"><a href="{form}">编辑</a></p>' in page
    assert page_text(client.get(form))  # ...and the link opens the form.
    # ...and the editor's page is not served to the next reader.
    client.logout()
    assert form not in page_text(client.get(article.get_absolute_url()))


def test_staff_without_the_right_to_change_articles_see_no_edit_link(samples, client):
    article = Article.objects.order_by("pk").first()
    client.force_login(User.objects.create_user("visitor", is_staff=True))
    assert "编辑</a>" not in page_text(client.get(article.get_absolute_url()))


def test_the_article_list_shows_the_newest_issue_first(samples, client, superuser):
    ingest_file(PAGES_DUMP)  # ingested last, printed between the two samples
    client.force_login(superuser)
    page = page_text(client.get(reverse("admin:archive_article_changelist")))
    links = re.findall(r'<th class="field-title_display"><a href="/admin/archive/article/(\d+)/change/', page)
    dates = [Article.objects.get(pk=pk).issue_date for pk in links]
    assert dates == sorted(dates, reverse=True)
    newest = Issue.objects.order_by("-publication_date").first()
    first_issue = [int(pk) for pk in links[: newest.articles.count()]]
    assert first_issue == list(newest.articles.order_by("position").values_list("pk", flat=True))


@pytest.mark.parametrize("term", ["2024-01-12", "2024/1/12", "2024年1月12日"])
def test_the_article_list_finds_an_issue_by_its_date(samples, client, superuser, term):
    client.force_login(superuser)
    page = page_text(client.get(reverse("admin:archive_article_changelist"), {"q": term}))
    row = r'<th class="field-title_display"><a href="/admin/archive/article/(\d+)/'
    links = {int(pk) for pk in re.findall(row, page)}
    issue = Issue.objects.get(publication_date="2024-01-12")
    assert links == set(issue.articles.values_list("pk", flat=True))


def test_the_history_shows_the_editors_change_and_links_the_state_before_it(samples, client, superuser, commit):
    client.force_login(superuser)
    article = first_news_article()
    old = article.headline
    assert edit_article(client, commit, article, headline="改过的标题").status_code == 302
    page = page_text(client.get(reverse("admin:archive_article_history", args=[article.pk])))
    rows = re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*?)</tbody>", page, re.S)[1], re.S)
    first = re.sub(r"<[^>]+>", " ", rows[0])
    assert "chief" in first and "编辑：标题" in first and f"{old} → 改过的标题" in first
    assert editing.BASELINE_REASON not in page
    assert "人工修改的字段" not in page
    before = re.search(r'<a href="([^"]+)">查看或恢复这次修改之前的版本</a>', rows[0])[1]
    form = page_text(client.get(before))
    assert f'value="{old}"' in form


def test_the_login_attempt_pages_are_in_chinese(db, client, superuser):
    client.force_login(superuser)
    attempt = AccessAttempt.objects.create(
        username="someone",
        ip_address="192.0.2.1",
        user_agent="x",
        http_accept="*/*",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )
    AccessLog.objects.create(username="chief", ip_address="192.0.2.1", user_agent="x", http_accept="*/*", path_info="/")
    AccessFailureLog.objects.create(
        username="someone", ip_address="192.0.2.1", user_agent="x", http_accept="*/*", path_info="/"
    )
    urls = [
        reverse("admin:index"),
        reverse("admin:app_list", args=["axes"]),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:axes_accessattempt_change", args=[attempt.pk]),
        reverse("admin:axes_accesslog_changelist"),
        reverse("admin:axes_accessfailurelog_changelist"),
    ]
    for url in urls:
        shown = re.sub(r"<(script|style)\b.*?</\1>", " ", page_text(client.get(url)), flags=re.S)
        text = re.sub(r"<[^>]+>", " ", shown)
        english = [word for word in AXES_ENGLISH if re.search(rf"\b{re.escape(word)}\b", text)]
        assert english == [], f"{url} shows {english}"
    assert "登录安全" in page_text(client.get(reverse("admin:index")))
    assert "登录尝试" in page_text(client.get(reverse("admin:axes_accessattempt_changelist")))
