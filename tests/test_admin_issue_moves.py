"""Correcting an issue's date in the admin: its articles move with it, in
the database, the public pages and search; a date another issue of the
title holds is refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from archive import editing
from archive.models import Article, Issue
from tests.admin_pages import filtered_ids, form_data

pytestmark = pytest.mark.django_db


def test_issue_date_correction_moves_its_articles(admin_client, commit, samples):
    issue = Issue.objects.order_by("publication_date").first()
    ids = set(issue.articles.values_list("pk", flat=True))
    new_date = issue.publication_date - datetime.timedelta(days=3)
    url = reverse("admin:archive_issue_change", args=[issue.pk])
    data = form_data(admin_client.get(url))
    data["publication_date"] = new_date.isoformat()
    assert commit(admin_client.post, url, data).status_code == 302
    issue.refresh_from_db()
    assert issue.publication_date == new_date and issue.date_inferred is False
    assert set(Article.objects.published_on(new_date).values_list("pk", flat=True)) == ids
    assert admin_client.get(issue.get_absolute_url()).status_code == 200
    indexed = filtered_ids(date_from=new_date, date_to=new_date)
    assert indexed == ids
    assert "更正日期" in issue.history.first().history_change_reason


def test_issue_date_taken_by_another_issue_is_refused(admin_client, samples):
    first, second = Issue.objects.order_by("publication_date")
    url = reverse("admin:archive_issue_change", args=[first.pk])
    data = form_data(admin_client.get(url))
    data["publication_date"] = second.publication_date.isoformat()
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    with pytest.raises(editing.EditingError, match="已有一期"):
        editing.change_issue_date(first, second.publication_date)
