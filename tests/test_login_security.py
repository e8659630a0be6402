"""The admin's login limits and cookies: guesses at one account are counted
across addresses, the lock-out page does not tell whether an account exists,
and no cookie is readable by scripts."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

PASSWORD = "编辑-correct-horse-9"


@pytest.fixture
def chief(db, settings):
    # A fast hash: these tests make a hundred logins; the limits do not depend on it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return User.objects.create_superuser("chief", "chief@example.org", PASSWORD)


def attempt(username, password, address, client=None):
    client = client or Client()
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_guesses_spread_over_many_addresses_lock_the_account(chief, settings):
    answered = 0
    for guess in range(100):
        # 25 addresses, 4 guesses each: under the per-address limit of 5.
        response = attempt("chief", f"guess-{guess}", f"198.51.100.{guess % 25}")
        answered += response.status_code == 200
    # The failure that reaches the limit is answered with the lock-out page.
    assert answered == settings.AXES_ACCOUNT_FAILURE_LIMIT - 1
    # Even the right password, from an address never seen, waits out the lock.
    locked = attempt("chief", PASSWORD, "203.0.113.50")
    assert locked.status_code == 429


def test_a_few_failures_from_a_stranger_leave_the_editor_in(chief):
    for guess in range(5):
        attempt("chief", f"guess-{guess}", "198.51.100.9")
    editor = Client()
    response = attempt("chief", PASSWORD, "192.0.2.7", client=editor)
    assert response.status_code == 302
    assert "_auth_user_id" in editor.session


def visible_text(response):
    page = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_the_lock_out_page_is_the_same_for_real_and_unknown_accounts(chief, settings):
    settings.AXES_ACCOUNT_FAILURE_LIMIT = 3
    pages = {}
    for name in ["chief", "nobody-by-this-name"]:
        for guess in range(3):
            attempt(name, f"guess-{guess}", f"198.51.100.{guess}")
        locked = attempt(name, "one-more", "198.51.100.200")
        assert locked.status_code == 429
        pages[name] = visible_text(locked)
        assert name not in pages[name]
    assert pages["chief"] == pages["nobody-by-this-name"]
    assert "登录失败次数过多" in pages["chief"]
    assert "account" not in pages["chief"].lower() and "用户不存在" not in pages["chief"]


def test_the_ordinary_failure_message_is_the_same_for_real_and_unknown_accounts(chief):
    real = visible_text(attempt("chief", "wrong", "198.51.100.1"))
    unknown = visible_text(attempt("nobody-by-this-name", "wrong", "198.51.100.2"))
    assert real.replace("chief", "NAME") == unknown.replace("nobody-by-this-name", "NAME")


def set_cookies(response):
    return dict(response.cookies.items())


def test_csrf_and_session_cookies_are_http_only_and_login_still_works(chief):
    client = Client(enforce_csrf_checks=True)
    login_page = client.get(reverse("admin:login"))
    cookies = set_cookies(login_page)
    assert cookies["csrftoken"]["httponly"] is True
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.content.decode()).group(1)
    response = client.post(
        reverse("admin:login"),
        {"username": "chief", "password": PASSWORD, "next": "/admin/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert set_cookies(response)["sessionid"]["httponly"] is True


def test_cookies_are_secure_under_https_settings(chief, settings):
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = True
    page = Client().get(reverse("admin:login"), secure=True)
    cookie = set_cookies(page)["csrftoken"]
    assert cookie["secure"] is True and cookie["httponly"] is True
