"""What a reader sees of the second round of reading features, in real
Chromium at desktop and phone sizes: citations with copy buttons, the print
view of an article. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest

from tests.browser import assert_no_serious_axe_violations, screenshot

pytestmark = pytest.mark.browser


def open_article(page, live_archive, headline="我区民政事业高质量发展取得新成效"):
    page.goto(live_archive + "/issues/2024-01-12/")
    page.get_by_role("link", name=headline).first.click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))


def test_the_article_offers_three_citation_formats_and_two_downloads(page, live_archive):
    open_article(page, live_archive)
    citation = page.locator(".citation")
    citation.scroll_into_view_if_needed()
    for label in ("GB/T 7714-2015", "APA", "MLA"):
        assert citation.get_by_role("button", name=f"复制 {label} 格式").is_visible()
    assert citation.get_by_role("link", name="RIS").get_attribute("type") == "application/x-research-info-systems"
    assert citation.get_by_role("link", name="BibTeX").get_attribute("type") == "application/x-bibtex"
    with page.expect_download() as download:
        citation.get_by_role("link", name="RIS").click()
    assert download.value.suggested_filename.endswith(".ris")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    citation.screenshot(path=str(screenshot(page, "citation").with_name(f"citation-box-{page.viewport_name}.png")))
    assert_no_serious_axe_violations(page)


def test_the_copy_button_works_without_the_clipboard_api(new_page, live_archive):
    """A site on plain http is no secure context and has no clipboard API:
    the button is still shown and copies the selected citation."""
    page = new_page("desktop")
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    open_article(page, live_archive)
    assert page.evaluate("navigator.clipboard") is None
    page.get_by_role("button", name="复制 MLA 格式").click()
    page.locator("#citation-mla ~ .copy-status").filter(has_text="已复制").wait_for()
    assert page.evaluate("window.getSelection().toString()").strip() == page.locator("#citation-mla").inner_text()


def test_printing_an_article_shows_the_text_and_citation_without_the_site_around_it(page, live_archive):
    open_article(page, live_archive)
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-search, #site-search", ".site-footer", ".article-pager", ".breadcrumbs"):
        assert not page.locator(hidden).first.is_visible(), f"{hidden} is printed"
    assert page.locator("button:visible").count() == 0
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator(".article-body p").first.is_visible()
    assert page.locator("#citation-gbt7714").is_visible()
    permalink = page.locator(".permalink")
    assert permalink.is_visible() and re.search(r"/articles/\d+/$", permalink.inner_text())
    # The citation and permalink come after the text, at the foot.
    body_bottom = page.locator(".article-body").bounding_box()
    citation_top = page.locator(".citation").bounding_box()
    assert citation_top["y"] > body_bottom["y"] + body_bottom["height"] - 1
    screenshot(page, "print-article")


def ingest_paged_issue():
    from archive import search
    from archive.ingest import ingest_file
    from tests.test_pages import PAGES_DUMP

    ingest_file(PAGES_DUMP)
    search.drain_queue()


def test_a_reader_goes_page_by_page_and_follows_a_continued_article(page, live_archive):
    ingest_paged_issue()
    page.goto(live_archive + "/issues/2024-01-15/")
    navigator = page.get_by_role("navigation", name="版面导航")
    assert navigator.get_by_role("link").all_inner_texts() == ["第1版 要闻", "第2版 综合新闻", "第3版 文化"]
    screenshot(page, "issue-pages")
    assert_no_serious_axe_violations(page)

    navigator.get_by_role("link", name="第2版 综合新闻").click()
    page.wait_for_url(re.compile(r"/issues/2024-01-15/pages/2/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("第2版 综合新闻")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "issue-page-2")
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="供暖运行平稳").click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    body = page.locator(".article-body").inner_text()
    assert not body.lstrip().startswith("(上接")
    screenshot(page, "continued-part")
    page.get_by_role("link", name="上接第1版").click()
    assert page.get_by_role("heading", level=1).inner_text() == "我市冬季供暖运行平稳"
    page.get_by_role("link", name="下转第2版").click()
    assert page.get_by_role("heading", level=1).inner_text() == "供暖运行平稳"


def test_an_issue_without_pages_says_so(page, live_archive):
    page.goto(live_archive + "/issues/2024-01-12/")
    assert page.get_by_role("note").inner_text().startswith("这一期的文本没有版面信息")
    assert page.get_by_role("navigation", name="版面导航").count() == 0
    screenshot(page, "issue-no-pages")


def test_the_search_page_has_one_search_box(page, live_archive):
    page.goto(live_archive + "/search/?q=民政")
    assert page.locator("input[type=search]:visible").count() == 1
    screenshot(page, "search-one-box")
    assert_no_serious_axe_violations(page)


def test_a_date_without_an_issue_offers_the_nearest_ones(page, live_archive):
    page.goto(live_archive + "/archive/")
    page.locator("#jump-date").fill("2023-06-01")
    page.locator("form.date-jump button").click()
    # The heading names the title the date box belongs to.
    assert page.get_by_role("heading", level=1).inner_text().endswith("2023年6月1日没有出版")
    before = page.get_by_role("link", name=re.compile("前一期：2023年5月25日"))
    after = page.get_by_role("link", name=re.compile("后一期：2024年1月12日"))
    assert before.is_visible() and after.is_visible()
    screenshot(page, "date-without-issue")
    assert_no_serious_axe_violations(page)
    after.click()
    page.wait_for_url(re.compile(r"/issues/2024-01-12/$"))


def test_the_advanced_search_form_fills_the_search_box(page, live_archive):
    page.goto(live_archive + "/search/?q=养老")
    page.get_by_role("link", name="高级检索").click()
    page.get_by_label("标题中含有").fill("民政")
    page.get_by_label("正文中含有全部词语").fill("养老")
    page.get_by_label("不含词语").fill("体育")
    page.get_by_label("体裁").select_option("news")
    screenshot(page, "advanced-search")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="检索").click()
    page.wait_for_url(re.compile(r"/search/\?"))
    assert page.locator("#search-q").input_value() == "标题:民政 养老 -体育"
    assert page.get_by_role("link", name="我区民政事业高质量发展取得新成效").is_visible()
    screenshot(page, "advanced-search-results")


def test_search_within_an_issue(page, live_archive):
    page.goto(live_archive + "/issues/2024-01-12/")
    page.get_by_label("在本期中搜索").fill("养老")
    page.get_by_role("button", name="搜索本期").click()
    page.wait_for_url(re.compile(r"/search/\?"))
    dates = page.locator(".search-hit .meta a").first.inner_text()
    assert dates == "2024年1月12日"
    assert page.locator("#search-from").input_value() == "2024-01-12"
    screenshot(page, "search-within-issue")
