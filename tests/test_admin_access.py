"""Who may use the admin: the editor group's permissions, staff without it,
login limits (behind the proxy too), and the admin's cookies in production."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from archive.models import Article, Reporter
from tests.admin_pages import PASSWORD, change_url, edit_article, first_news_article
from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.django_db


def test_setup_editors_command_is_idempotent(db, capsys):
    call_command("setup_editors")
    call_command("setup_editors")
    group = Group.objects.get(name="editor")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_article", "change_reporter", "delete_reporter", "change_topic", "change_issue"} <= codenames
    assert "view_historicalarticle" in codenames
    assert not {c for c in codenames if c.endswith("_user") or c.endswith("_group")}
    assert 'group "editor"' in capsys.readouterr().out


def test_editor_can_correct_articles_but_not_manage_users(editor_client, commit, samples, editor):
    article = first_news_article()
    response = edit_article(editor_client, commit, article, headline="编辑组成员改的标题")
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).headline == "编辑组成员改的标题"
    assert Article.objects.get(pk=article.pk).history.first().history_user == editor
    assert editor_client.get(reverse("admin:archive_article_history", args=[article.pk])).status_code == 200
    assert editor_client.get(reverse("admin:archive_reporter_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:archive_topic_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_user_change", args=[editor.pk])).status_code == 403
    assert editor_client.get(reverse("admin:archive_article_delete", args=[article.pk])).status_code == 403
    # A reporter with bylines is merged, not deleted; one without may go.
    signed = article.bylines.first().reporter
    assert editor_client.get(reverse("admin:archive_reporter_delete", args=[signed.pk])).status_code == 403
    unsigned = Reporter.objects.create(name="无署名")
    delete_url = reverse("admin:archive_reporter_delete", args=[unsigned.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Reporter.objects.filter(pk=unsigned.pk).exists()


def test_staff_without_the_group_cannot_edit(client, samples):
    user = User.objects.create_user("visitor", password=PASSWORD, is_staff=True)
    client.force_login(user)
    article = first_news_article()
    assert client.get(change_url(article)).status_code == 403


def test_admin_logins_are_rate_limited(client, superuser, settings):
    settings.AXES_FAILURE_LIMIT = 3
    login = reverse("admin:login")
    for _attempt in range(3):
        client.post(login, {"username": "chief", "password": "wrong"})
    locked = client.post(login, {"username": "chief", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_good_login_works(client, superuser):
    response = client.post(
        reverse("admin:login"), {"username": "chief", "password": PASSWORD, "next": "/admin/"}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].is_authenticated


def test_production_settings_send_admin_cookies_over_https_only():
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "a-production-like-secret-key-for-the-test-only-0123456789",
        "DEBUG": "0",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True", "True", "True"]


def test_login_limits_count_each_reader_behind_the_proxy(client, superuser, settings):
    """Behind a proxy every request comes from the proxy's address: one
    stranger's failures must not lock out an editor at another address, and a
    forged X-Forwarded-For entry must not buy a fresh count."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    login = reverse("admin:login")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for attempt in range(3):
        forged = f"198.51.100.{attempt}, 203.0.113.9"
        client.post(login, {"username": "chief", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forged, **proxy)
    stranger = client.post(
        login, {"username": "chief", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy
    )
    assert stranger.status_code == 429

    editor = Client()
    response = editor.post(
        login,
        {"username": "chief", "password": PASSWORD, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR="192.0.2.7",
        **proxy,
    )
    assert response.status_code == 302
    assert "_auth_user_id" in editor.session
