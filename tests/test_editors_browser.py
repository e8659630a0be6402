"""An editor in real Chromium at 1366 px (and on a phone for the public
page): the edit link on an article, a change form wide enough for a whole
headline, no clock-difference note, the history of their change."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from archive.models import Article
from tests.browser import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "编辑-correct-horse-9"
LAPTOP = {"width": 1366, "height": 768}


def log_in(page, live_archive):
    page.goto(live_archive + "/admin/login/")
    page.locator("#id_username").fill("chief")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_archive + "/admin/")


def test_an_editor_goes_from_the_article_to_a_wide_form_without_a_clock_note(new_page, live_archive):
    User.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    article = max(Article.objects.exclude(headline=""), key=lambda a: len(a.headline))
    # An editor whose clock is far from the server's (Asia/Shanghai).
    page = new_page("desktop", timezone_id="America/New_York")
    page.set_viewport_size(LAPTOP)
    page.goto(live_archive + article.get_absolute_url())
    assert page.get_by_role("link", name="编辑", exact=True).count() == 0
    log_in(page, live_archive)

    page.goto(live_archive + article.get_absolute_url())
    edit = page.get_by_role("link", name="编辑", exact=True)
    assert edit.is_visible()
    screenshot(page, "editor-article-with-edit-link")
    edit.click()
    page.wait_for_url(re.compile(rf"/admin/archive/article/{article.pk}/change/$"))

    for field in ("#id_kicker", "#id_headline", "#id_subtitle", "#id_keywords"):
        box = page.locator(field)
        width = box.evaluate("e => e.clientWidth")
        assert width >= 480, f"{field} is {width}px wide at 1366px"
    headline = page.locator("#id_headline")
    assert headline.input_value() == article.headline
    assert headline.evaluate("e => e.scrollWidth <= e.clientWidth"), "the headline does not fit its field"
    assert page.locator("#id_event_date").count() == 1
    # Django adds its note under the date field for such an editor; it is not shown.
    assert page.locator(".timezonewarning").count() >= 1
    assert page.locator(".timezonewarning:visible").count() == 0
    assert "服务器时间" not in page.locator("#content").inner_text()
    screenshot(page, "editor-change-form-1366")

    headline.fill(article.headline + "（更正）")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/archive/article/(\?.*)?$"))
    page.goto(live_archive + f"/admin/archive/article/{article.pk}/history/")
    history = page.locator("#change-history").inner_text()
    assert "编辑：标题" in history and "修改前的状态" not in history
    screenshot(page, "editor-history")

    page.goto(live_archive + "/admin/axes/accesslog/")
    assert "登录记录" in page.locator("#content").inner_text()
    screenshot(page, "editor-login-records")


def test_the_edit_link_on_a_phone(new_page, live_archive):
    User.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    page = new_page("phone")
    log_in(page, live_archive)
    article = Article.objects.order_by("pk").first()
    page.goto(live_archive + article.get_absolute_url())
    assert page.get_by_role("link", name="编辑", exact=True).is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "editor-article-with-edit-link")
