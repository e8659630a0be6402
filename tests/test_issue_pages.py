"""An issue and its printed pages, the date box, and the year, month and
index pages of a title's run."""

from __future__ import annotations

import datetime

import pytest

from archive.models import Issue
from tests.site_pages import at, html, newest_issue, paper


def test_issue_page_lists_articles_in_printed_order_with_kinds_and_neighbours(samples, client):
    issue = newest_issue()
    page = html(client.get(issue.get_absolute_url()))
    positions = [page.index(article.get_absolute_url()) for article in issue.articles.order_by("position")]
    assert positions == sorted(positions)
    for label in ("消息", "评论", "专访", "图片", "转版"):
        assert f">{label}</span>" in page
    # The kicker and the headline as printed.
    assert "贯彻落实市委十三届七次全会暨全市经济工作会议精神" in page
    older = Issue.objects.get(publication_date=datetime.date(2023, 5, 25))
    assert f'rel="prev" href="{older.get_absolute_url()}"' in page
    assert "已是最新一期" in page
    older_page = html(client.get(older.get_absolute_url()))
    assert f'rel="next" href="{issue.get_absolute_url()}"' in older_page


def test_issue_page_groups_articles_by_printed_page(samples, client):
    from archive.models import Section

    issue = newest_issue()
    front = Section.objects.create(name="第1版 要闻")
    issue.articles.filter(position__lte=3).update(section=front)
    page = html(client.get(issue.get_absolute_url()))
    assert '第1版 要闻</a><span class="count">3 篇</span>' in page
    # The articles after the labelled page carry no label of their own.
    assert '未标明版面</a><span class="count">6 篇</span>' in page


@pytest.mark.parametrize("day", ["2024-01-13", "2024-02-30", "1900-01-01"])
def test_a_day_without_an_issue_is_a_styled_404(samples, client, day):
    response = client.get(f"{paper().get_absolute_url()}issues/{day}/")
    assert response.status_code == 404
    page = html(response)
    assert "页面不存在" in page and 'role="search"' in page


def test_the_date_box_goes_to_that_issue_or_offers_the_nearest_ones(samples, client):
    jump = at("issue_jump")
    assert client.get(jump, {"date": "2024-01-12"})["Location"] == at("issue_detail", "2024-01-12")
    between = client.get(jump, {"date": "2023-06-01"})
    assert between.status_code == 404
    page = html(between)
    assert "呼和浩特日报2023年6月1日没有出版" in page
    assert f'<a rel="prev" href="{at("issue_detail", "2023-05-25")}">← 前一期：2023年5月25日' in page
    assert f'<a rel="next" href="{at("issue_detail", "2024-01-12")}">后一期：2024年1月12日' in page
    later = html(client.get(jump, {"date": "2030-01-01"}))
    assert "2030年1月1日没有出版" in later and at("issue_detail", "2024-01-12") in later and 'rel="next"' not in later
    assert client.get(jump)["Location"] == at("archive_index")
    bad = client.get(jump, {"date": "去年"})
    assert bad.status_code == 400
    assert "不是有效日期" in html(bad)


def test_year_archive_marks_issue_days_and_counts_articles(samples, client):
    page = html(client.get(at("archive_year", 2023)))
    assert "1 期报纸，9 篇文章" in page
    assert f'href="{at("issue_detail", "2023-05-25")}" aria-label="2023年5月25日，9 篇文章"' in page
    assert at("archive_month", 2023, 5) in page
    # Twelve months are drawn, next year with issues is linked.
    assert page.count('<table class="calendar calendar-compact">') == 12
    assert f'rel="next" href="{at("archive_year", 2024)}"' in page


def test_month_archive_lists_its_issues(samples, client):
    page = html(client.get(at("archive_month", 2024, 1)))
    assert "2024年1月" in page and "星期五" in page
    assert f'href="{at("issue_detail", "2024-01-12")}"' in page
    assert f'rel="prev" href="{at("archive_month", 2023, 5)}"' in page


@pytest.mark.parametrize("path", ["archive/1999/", "archive/2024/2/", "archive/2024/13/", "archive/0/"])
def test_date_archives_without_issues_are_404(samples, client, path):
    assert client.get(paper().get_absolute_url() + path).status_code == 404


def test_archive_index_lists_years(samples, client):
    page = html(client.get(at("archive_index")))
    assert "2023年" in page and "2024年" in page
