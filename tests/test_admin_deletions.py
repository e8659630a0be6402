"""Deleting a reporter, topic or issue in the admin: search follows the database."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from archive import search
from archive.models import Article, Issue, PendingIndex, Topic
from tests.admin_pages import filtered_ids


@pytest.fixture
def admin_client(client, ingested_samples):
    user = User.objects.create_superuser("chief", "chief@example.org", "pw-for-tests-only")
    client.force_login(user)
    return client


def test_deleting_issues_removes_their_articles_from_search(admin_client, django_capture_on_commit_callbacks):
    issue = Issue.objects.order_by("publication_date").first()
    gone = set(issue.articles.values_list("pk", flat=True))
    day = issue.publication_date
    assert gone <= filtered_ids(date_from=day, date_to=day)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:archive_issue_changelist"),
            {"action": "delete_selected", "_selected_action": [issue.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not Issue.objects.filter(pk=issue.pk).exists()
    assert not filtered_ids(date_from=day, date_to=day) & gone
    assert not PendingIndex.objects.exists()
    # The index itself no longer holds them (hits are loaded from the database,
    # so the page alone would not show an index left behind).
    check = search.check()
    assert check.ok, check


def test_deleting_a_topic_takes_it_off_its_articles_in_search(admin_client, django_capture_on_commit_callbacks):
    topic = Topic.objects.filter(articles__isnull=False).distinct().order_by("pk").first()
    tagged = set(Article.objects.with_topic(topic).values_list("pk", flat=True))
    assert tagged and tagged <= filtered_ids(topic=topic.name)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:archive_topic_delete", args=[topic.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert not filtered_ids(topic=topic.name)
    assert not PendingIndex.objects.exists()
    check = search.check()
    assert check.ok, check
