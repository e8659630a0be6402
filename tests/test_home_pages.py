"""The archive's front door and a title's home page: the titles with their
counts, the newest articles, the newest issue with its calendar, an empty
archive."""

from __future__ import annotations

import datetime

from django.urls import reverse

from archive.models import Article, Topic
from archive.views import titles as title_views
from tests.site_pages import at, html, newest_issue, paper


def test_home_lists_the_titles_with_counts_and_the_newest_articles(samples, client):
    page = html(client.get(reverse("archive:home")))
    assert "共收录 <strong>1</strong> 种报纸、<strong>2</strong> 期、<strong>18</strong> 篇文章" in page
    assert f'<a href="{paper().get_absolute_url()}">呼和浩特日报</a>' in page
    assert f'href="{newest_issue().get_absolute_url()}"' in page
    newest = Article.objects.newest_first()[: title_views.HOME_ARTICLES]
    for article in newest:
        assert article.get_absolute_url() in page
    for topic in Topic.objects.all():
        assert topic.get_absolute_url() in page


def test_a_title_home_shows_its_newest_issue_counts_calendar_and_topics(samples, client):
    page = html(client.get(paper().get_absolute_url()))
    issue = newest_issue()
    assert issue.publication_date == datetime.date(2024, 1, 12)
    assert "2024年1月12日" in page
    assert "共收录 <strong>2</strong> 期、<strong>18</strong> 篇文章" in page
    for article in issue.articles.all():
        assert article.get_absolute_url() in page
    # The calendar marks the issue's day and links it.
    assert 'aria-label="2024年1月12日，9 篇文章" aria-current="date"' in page
    assert at("archive_year", 2023) in page
    assert reverse("archive:feed_paper", args=[paper().slug]) in page


def test_home_of_an_empty_archive_says_how_to_fill_it(db, client):
    response = client.get(reverse("archive:home"))
    assert response.status_code == 200
    assert "python manage.py ingest" in html(response)
