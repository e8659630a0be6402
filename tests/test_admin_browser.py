"""An editor's session in real headless Chromium: log in, fix a headline,
merge two reporters, find the new headline through the public search, see
the change in the history and revert it. Screenshots of each step go to
test-artifacts/screenshots/admin-*.png."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from archive.models import Article, Byline, BylineRole, Reporter
from tests.browser import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "编辑-correct-horse-9"
NEW_HEADLINE = "青城街巷新添百座口袋公园"


@pytest.fixture
def csp_violations():
    """Collects Content-Security-Policy complaints from every page's console."""
    found: list[str] = []

    def watch(page):
        page.on(
            "console",
            lambda message: (
                found.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
            ),
        )
        return page

    watch.found = found
    return watch


def test_editor_fixes_headline_merges_reporters_finds_and_reverts(new_page, live_archive, csp_violations):
    User.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    article = Article.objects.exclude(headline="").filter(bylines__isnull=False).order_by("pk").first()
    old_headline = article.headline
    real = article.bylines.order_by("position").first().reporter
    variant = Reporter.objects.create(name=real.name[:-1] + "化")
    other = Article.objects.exclude(bylines__reporter=real).order_by("pk").first()
    Byline.objects.create(article=other, reporter=variant, role=BylineRole.REPORTER, position=0)

    page = csp_violations(new_page("desktop"))

    # Log in.
    page.goto(live_archive + "/admin/")
    page.wait_for_url(re.compile(r"/admin/login/"))
    page.locator("#id_username").fill("chief")
    page.locator("#id_password").fill(PASSWORD)
    screenshot(page, "admin-01-login")
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_archive + "/admin/")

    # Find the article in the list and fix its headline.
    page.goto(live_archive + "/admin/archive/article/")
    page.locator("#searchbar").fill(old_headline[:8])
    page.locator("#searchbar").press("Enter")
    page.get_by_role("link", name=old_headline).click()
    page.wait_for_url(re.compile(rf"/admin/archive/article/{article.pk}/change/"))
    assert page.locator(".archive-source-panel pre").is_visible()
    assert old_headline in page.locator(".archive-source-panel pre").inner_text()
    page.locator("#id_headline").fill(NEW_HEADLINE)
    screenshot(page, "admin-02-article-form")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/archive/article/(\?.*)?$"))
    assert NEW_HEADLINE in page.locator(".messagelist").inner_text()
    screenshot(page, "admin-03-saved")

    # Merge the variant spelling into the real reporter.
    page.goto(live_archive + "/admin/archive/reporter/?q=" + real.name[:-1])
    page.locator(f"input[name=_selected_action][value='{real.pk}']").check()
    page.locator(f"input[name=_selected_action][value='{variant.pk}']").check()
    page.locator("select[name=action]").select_option("merge_selected")
    page.locator("button[name=index]").first.click()
    page.get_by_role("heading", name="选择保留哪一位").wait_for()
    page.locator(f"#kept-{real.pk}").check()
    screenshot(page, "admin-04-merge-confirmation")
    page.get_by_role("button", name="确认合并").click()
    page.wait_for_url(re.compile(r"/admin/archive/reporter/(\?.*)?$"))
    assert f"合并到 {real.name}" in page.locator(".messagelist").inner_text()
    screenshot(page, "admin-05-merged")
    assert not Reporter.objects.filter(pk=variant.pk).exists()
    assert other.bylines.filter(reporter=real).exists()

    # The public search finds the new headline at once.
    page.goto(live_archive + "/search/?q=" + NEW_HEADLINE)
    result = page.get_by_role("link", name=re.compile(NEW_HEADLINE))
    result.first.wait_for()
    screenshot(page, "admin-06-search")
    result.first.click()
    page.wait_for_url(re.compile(rf"/articles/{article.pk}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == NEW_HEADLINE

    # The history shows the edit; revert to the version before it.
    page.goto(live_archive + f"/admin/archive/article/{article.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    assert "编辑：标题" in rows.first.inner_text()
    assert "chief" in rows.first.inner_text()
    screenshot(page, "admin-07-history")
    assert "修改前的状态" not in page.locator("#change-history").inner_text()
    rows.first.get_by_role("link", name="查看或恢复这次修改之前的版本").click()
    page.wait_for_url(re.compile(rf"/admin/archive/article/{article.pk}/history/\d+/$"))
    assert page.locator("#id_headline").input_value() == old_headline
    screenshot(page, "admin-08-revert-form")
    page.locator("input[name=_save]").first.click()
    page.wait_for_url(re.compile(r"/admin/archive/article/(\?.*)?$"))
    screenshot(page, "admin-09-reverted")
    article.refresh_from_db()
    assert article.headline == old_headline

    page.goto(live_archive + f"/articles/{article.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == old_headline
    assert csp_violations.found == []
