"""Real headless Chromium against the running site with the samples ingested:
a reader's path through the archive on a desktop and on a phone, with
screenshots under test-artifacts/screenshots/ and an axe-core check of
every page."""

from __future__ import annotations

import re

import pytest

from tests.browser import assert_no_serious_axe_violations, screenshot

pytestmark = pytest.mark.browser


def check(page, name):
    """Every page on the path: readable width, named, screenshotted, accessible."""
    assert page.title().endswith("呼和浩特日报") or "呼和浩特日报" in page.title()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {page.viewport_size['width']}px"
    screenshot(page, name)
    assert_no_serious_axe_violations(page)


def test_reader_goes_home_issue_article_reporter_topic_and_back(page, live_archive):
    page.goto(live_archive + "/")
    check(page, "01-home")
    assert page.locator("h1").first.inner_text() == "呼和浩特日报数字档案"

    page.get_by_role("link", name="2024年1月12日").first.click()
    page.wait_for_url(re.compile(r"/issues/2024-01-12/$"))
    check(page, "02-issue")
    assert page.get_by_role("navigation", name="期次导航").get_by_role("link").first.is_visible()

    page.get_by_role("link", name="我区民政事业高质量发展取得新成效").click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    article_url = page.url
    check(page, "03-article")
    assert page.get_by_role("heading", level=1).inner_text() == "我区民政事业高质量发展取得新成效"
    citation = page.locator("#citation-gbt7714").inner_text()
    assert "我区民政事业高质量发展取得新成效[N/OL]. 呼和浩特日报, 2024-01-12" in citation

    page.locator(".bylines").get_by_role("link", name="耿欣").click()
    page.wait_for_url(re.compile(r"/reporters/[\w-]+/$"))
    reporter_url = page.url
    check(page, "04-reporter")
    assert page.get_by_role("heading", level=1).inner_text() == "耿欣"

    page.locator(".article-list").get_by_role("link", name="#民生").first.click()
    page.wait_for_url(re.compile(r"/topics/[\w-]+/$"))
    check(page, "05-topic")
    assert page.get_by_role("heading", level=1).inner_text() == "民生"

    page.go_back()
    page.wait_for_url(reporter_url)
    page.go_back()
    page.wait_for_url(article_url)
    assert page.get_by_role("heading", level=1).inner_text() == "我区民政事业高质量发展取得新成效"


def test_listing_and_date_pages_look_right(page, live_archive):
    page.goto(live_archive + "/reporters/")
    check(page, "06-reporters")
    page.get_by_label("身份").select_option("photographer")
    page.wait_for_url(re.compile(r"role=photographer"))
    names = page.locator(".reporter-table tbody th").all_inner_texts()
    assert names and "耿欣" not in names

    page.goto(live_archive + "/topics/")
    check(page, "07-topics")
    page.goto(live_archive + "/archive/2024/")
    check(page, "08-year")
    page.get_by_role("link", name="2024年1月12日，9 篇文章").click()
    page.wait_for_url(re.compile(r"/issues/2024-01-12/$"))
    page.goto(live_archive + "/archive/2024/1/")
    check(page, "09-month")
    page.goto(live_archive + "/no/such/page/")
    check(page, "10-not-found")
    assert page.get_by_role("heading", level=1).inner_text() == "页面不存在"


def test_keyboard_reaches_the_content_and_search_from_the_top(new_page, live_archive):
    page = new_page("desktop")
    page.goto(live_archive + "/issues/2024-01-12/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.locator("#site-search").focus()
    page.keyboard.type("民政")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert "我区民政事业高质量发展取得新成效" in page.locator("main").inner_text()


def test_citation_copy_buttons_copy_each_format(new_page, live_archive):
    page = new_page("desktop", permissions=["clipboard-read", "clipboard-write"])
    page.goto(live_archive + "/issues/2024-01-12/")
    page.get_by_role("link", name="我区民政事业高质量发展取得新成效").click()
    for element_id, label in (("gbt7714", "GB/T 7714-2015"), ("apa", "APA"), ("mla", "MLA")):
        page.get_by_role("button", name=f"复制 {label} 格式").click()
        page.locator(f"#citation-{element_id} ~ .copy-status").filter(has_text="已复制").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator(f"#citation-{element_id}").inner_text().strip()
