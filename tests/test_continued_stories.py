"""A story printed across pages ("（下转第2版）" … "（上接第1版）") is one story
to a reader who searches: one hit, its first part, with the passage from
whichever part matched; the index holds the continued part in the first
part's document, on every engine. Editors' changes to the marks, and deletes,
keep the index in step (the database and check_index are the oracles)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q

from archive import editing, search
from archive.models import Article, PendingIndex
from archive.search import indexing
from archive.search.query import search_articles
from tests.admin_pages import edit_article
from tests.test_pages import paged_issue  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.every_search_engine, pytest.mark.django_db]


def story(issue):
    first = Article.objects.get(issue=issue, continued_to="第2版")
    second = Article.objects.get(issue=issue, continued_from="第1版")
    return first, second


def only_in(part, other) -> str:
    """A word the database holds in ``part``'s text and not in ``other``'s."""
    for word in ("服务热线", "限时办结", "独居老人"):
        if word in part.body and word not in other.body and word not in other.headline:
            return word
    raise AssertionError("the test dump lost the continued part's own words")


def containing(word):
    return {a.pk for a in Article.objects.filter(Q(paragraphs__icontains=word) | Q(headline__icontains=word))}


def test_ingest_links_the_continued_part_to_the_first(paged_issue):  # noqa: F811
    first, second = story(paged_issue)
    assert second.continues_id == first.pk
    assert list(first.continuations.all()) == [second]
    assert Article.objects.filter(issue=paged_issue, continues__isnull=False).count() == 1


def test_a_word_only_in_the_continued_part_finds_the_story_once_as_its_first_part(paged_issue):  # noqa: F811
    first, second = story(paged_issue)
    word = only_in(second, first)
    assert containing(word) == {second.pk}
    page = search_articles(word)
    assert page.article_ids == [first.pk]
    assert word in page.hits[0].snippet_html.replace("<mark>", "").replace("</mark>", "")


def test_a_word_in_both_parts_is_one_hit(paged_issue):  # noqa: F811
    first, second = story(paged_issue)
    word = "供暖"
    assert {first.pk, second.pk} <= containing(word)
    found = search_articles(word, per_page=100).article_ids
    assert sorted(found) == sorted(containing(word) - {second.pk})
    assert len(found) == len(set(found))


def test_the_index_agrees_with_the_database_with_a_story_folded(paged_issue):  # noqa: F811
    result = indexing.check()
    assert result.ok, result
    assert result.indexed == Article.objects.count() - 1


def test_an_editor_removing_the_mark_makes_the_part_a_story_of_its_own(paged_issue, admin_client, commit):  # noqa: F811
    first, second = story(paged_issue)
    word = only_in(second, first)
    response = edit_article(admin_client, commit, second, continued_from="")
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.continues_id is None
    search.drain_queue()
    assert search_articles(word).article_ids == [second.pk]
    assert indexing.check().ok

    edit_article(admin_client, commit, second, continued_from="第1版")
    search.drain_queue()
    second.refresh_from_db()
    assert second.continues_id == first.pk
    assert search_articles(word).article_ids == [first.pk]
    assert indexing.check().ok


def test_deleting_the_first_part_leaves_the_continued_part_searchable(paged_issue):  # noqa: F811
    first, second = story(paged_issue)
    word = only_in(second, first)
    editing.delete_articles([first])
    assert PendingIndex.objects.filter(article_id=second.pk).exists()
    search.drain_queue()
    assert search_articles(word).article_ids == [second.pk]
    assert indexing.check().ok


def test_a_rebuild_folds_the_story_too(paged_issue):  # noqa: F811
    first, second = story(paged_issue)
    indexing.rebuild(workers=1)
    assert search_articles(only_in(second, first)).article_ids == [first.pk]
    assert indexing.check().ok


@pytest.mark.django_db(transaction=True)
def test_the_migration_links_stories_already_stored_and_queues_them():
    before, linked = ("archive", "0011_issue_paper_required"), ("archive", "0012_article_continues")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("archive")
    executor.migrate([before])
    try:
        old = executor.loader.project_state([before]).apps
        paper = old.get_model("archive", "Newspaper").objects.create(name="青城日报", slug="qing-cheng-ri-bao")
        day = datetime.date(2024, 1, 15)
        issue = old.get_model("archive", "Issue").objects.create(
            paper=paper, publication_date=day, source_name="a.txt", source_sha256="a" * 64, source_text=""
        )
        OldArticle = old.get_model("archive", "Article")
        made = [
            OldArticle.objects.create(
                issue=issue,
                paper=paper,
                issue_date=day,
                position=position,
                headline=headline,
                paragraphs=["……"],
                **marks,
            )
            for position, headline, marks in (
                (1, "供暖运行平稳", {"continued_to": "第2版"}),
                (2, "冰雪节开幕", {}),
                (3, "供暖运行平稳", {"continued_from": "第1版"}),
            )
        ]
        executor = MigrationExecutor(connection)
        executor.migrate([linked])
        new = executor.loader.project_state([linked]).apps
        links = dict(new.get_model("archive", "Article").objects.values_list("pk", "continues_id"))
        assert links == {made[0].pk: None, made[1].pk: None, made[2].pk: made[0].pk}
        queued = set(new.get_model("archive", "PendingIndex").objects.values_list("article_id", flat=True))
        assert queued == {made[0].pk, made[2].pk}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
