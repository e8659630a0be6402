"""The durable index queue: every change that affects search queues its
articles in its own transaction, and a drain brings the index in step.

The oracle is Whoosh's own searcher over the index directory (not the
archive's engine), compared with the database.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from whoosh import index as whoosh_index
from whoosh.query import Term

from archive import editing, indexqueue, search
from archive.ingest import ingest_file, ingest_text, reparse_issue
from archive.models import Article, Issue, PendingIndex, Reporter, Section, Topic
from archive.search import indexing
from tests.conftest import SAMPLE_FILES


def whoosh_documents(path) -> dict[int, datetime.datetime]:
    """{article id: stored updated_at} as Whoosh's own searcher reads them."""
    with whoosh_index.open_dir(str(path)).searcher() as searcher:
        return {int(fields["django_id"]): fields["updated_at"] for fields in searcher.all_stored_fields()}


def whoosh_ids(path, field: str, value: str) -> set[int]:
    with whoosh_index.open_dir(str(path)).searcher() as searcher:
        numbers = searcher.docs_for_query(Term(field, value))
        return {int(searcher.stored_fields(number)["django_id"]) for number in numbers}


def database_documents() -> dict[int, datetime.datetime]:
    return {
        pk: stamp.astimezone(datetime.UTC).replace(tzinfo=None)
        for pk, stamp in Article.objects.values_list("pk", "updated_at")
    }


def queued() -> set[int]:
    return set(PendingIndex.objects.values_list("article_id", flat=True))


@pytest.fixture
def stored(db, clean_index):
    """The samples in the database and the index, the queue empty."""
    for path in SAMPLE_FILES:
        ingest_file(path)
    search.drain_queue()
    assert not PendingIndex.objects.exists()
    return clean_index


# --- the writing side -------------------------------------------------------


def test_ingest_queues_its_articles_in_its_transaction_and_a_drain_indexes_them(db, clean_index):
    result = ingest_file(SAMPLE_FILES[0])
    assert queued() == set(result.indexed_ids) == set(Article.objects.values_list("pk", flat=True))
    assert whoosh_documents(clean_index) == {}
    drained = search.drain_queue()
    assert drained.rows == len(result.indexed_ids) and drained.indexed == len(result.indexed_ids)
    assert not PendingIndex.objects.exists()
    assert whoosh_documents(clean_index) == database_documents()


def test_a_rolled_back_change_leaves_no_row(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        indexqueue.enqueue([1, 2, 3])
        assert queued() == {1, 2, 3}
        raise RuntimeError("the change fails")
    assert not PendingIndex.objects.exists()


def test_a_replace_queues_the_articles_it_removed_and_the_drain_drops_them(stored):
    issue = Issue.objects.get(source_name=SAMPLE_FILES[0].name)
    before = set(issue.articles.values_list("pk", flat=True))
    shortened = "\n".join(SAMPLE_FILES[0].read_text(encoding="utf-8").splitlines()[:40])
    result = ingest_text(shortened, source_name=issue.source_name, issue_date=issue.publication_date, replace=True)
    assert result.articles_deleted >= 1
    gone = before - set(issue.articles.values_list("pk", flat=True))
    assert gone and gone <= queued()
    search.drain_queue()
    assert whoosh_documents(stored) == database_documents()
    assert not gone & set(whoosh_documents(stored))


def test_reparse_queues_the_issue(stored):
    issue = Issue.objects.order_by("pk").first()
    Article.objects.filter(issue=issue).update(kicker="解析器会改回来的引题")
    reparse_issue(issue)
    assert queued() == set(issue.articles.values_list("pk", flat=True))


def test_every_editing_change_queues_what_it_touches(stored):
    article = Article.objects.filter(bylines__isnull=False).order_by("pk").first()
    reporter = article.bylines.first().reporter
    topic = Topic.objects.get(name="体育")
    section = Section.objects.create(name="要闻")
    Article.objects.filter(pk=article.pk).update(section=section)
    issue = article.issue
    # Each change, and the articles it should queue (read just before it).
    changes = {
        "set_topic": (lambda: editing.set_topic([article], topic), lambda: {article.pk}),
        "set_reviewed": (lambda: editing.set_reviewed([article]), lambda: {article.pk}),
        "rename_reporter": (
            lambda: editing.rename_reporter(reporter, reporter.name + "甲"),
            lambda: set(Article.objects.by_reporter(reporter).values_list("pk", flat=True)),
        ),
        "topic_changed": (
            lambda: editing.topic_changed(topic),
            lambda: set(Article.objects.with_topic(topic).values_list("pk", flat=True)),
        ),
        "change_issue_date": (
            lambda: editing.change_issue_date(issue, datetime.date(1999, 1, 1)),
            lambda: set(issue.articles.values_list("pk", flat=True)),
        ),
        "section_changed": (
            lambda: editing.section_changed(section),
            lambda: set(section.articles.values_list("pk", flat=True)),
        ),
    }
    for name, (change, affected) in changes.items():
        PendingIndex.objects.all().delete()
        expected = affected()
        assert expected, name
        with transaction.atomic():
            change()
        assert queued() == expected, name
    search.drain_queue()
    assert whoosh_documents(stored) == database_documents()


def test_merge_queues_the_articles_and_the_drain_moves_them_to_the_kept_reporter(stored):
    names = list(Reporter.objects.with_stats().order_by("-article_count").values_list("name", flat=True)[:2])
    kept, merged = (Reporter.objects.get(name=name) for name in names)
    moved = set(Article.objects.by_reporter(merged).values_list("pk", flat=True))
    with transaction.atomic():
        editing.merge_reporters(kept, [merged])
    assert moved <= queued()
    assert whoosh_ids(stored, "reporter", merged.name) == moved
    search.drain_queue()
    assert whoosh_ids(stored, "reporter", merged.name) == set()
    assert moved <= whoosh_ids(stored, "reporter", kept.name)


def test_a_deleted_articles_row_stays_and_the_drain_removes_it_from_the_index(stored):
    article = Article.objects.order_by("pk").first()
    pk = article.pk
    editing.delete_articles([article])
    assert queued() == {pk}
    assert pk in whoosh_documents(stored)
    drained = search.drain_queue()
    assert drained.removed == 1
    assert pk not in whoosh_documents(stored)
    assert whoosh_documents(stored) == database_documents()


# --- the applying side -------------------------------------------------------


def test_a_row_queued_again_during_a_drain_is_kept(stored, monkeypatch):
    article = Article.objects.order_by("pk").first()
    indexqueue.enqueue([article.pk])
    update = indexing.update_articles

    def update_then_edit(ids, **options):
        written = update(ids, **options)
        # An editor saves the article after the drain read it.
        with transaction.atomic():
            now = datetime.datetime.now(datetime.UTC)
            Article.objects.filter(pk=article.pk).update(headline="抽取之后又改的标题", updated_at=now)
            indexqueue.enqueue([article.pk])
        return written

    monkeypatch.setattr(indexing, "update_articles", update_then_edit)
    search.drain_queue(max_rows=1)
    assert queued() == {article.pk}
    assert whoosh_documents(stored) != database_documents()
    monkeypatch.setattr(indexing, "update_articles", update)
    search.drain_queue()
    assert not PendingIndex.objects.exists()
    assert whoosh_documents(stored) == database_documents()


def test_a_drain_limited_to_some_articles_leaves_the_others(stored):
    first, second = Article.objects.order_by("pk")[:2]
    indexqueue.enqueue([first.pk, second.pk])
    search.drain_queue(article_ids=[first.pk])
    assert queued() == {second.pk}


@pytest.fixture
def locked_index(stored):
    """Another writer holds the index's write lock (Whoosh's own lock)."""
    lock = whoosh_index.open_dir(str(stored)).lock("WRITELOCK")
    assert lock.acquire()
    yield stored
    lock.release()


def test_a_busy_index_leaves_the_rows_queued(locked_index):
    article = Article.objects.order_by("pk").first()
    indexqueue.enqueue([article.pk])
    with pytest.raises(search.IndexBusyError):
        search.drain_queue(lock_timeout=0.2)
    assert queued() == {article.pk}


def test_ingest_with_a_busy_index_reports_one_line_and_keeps_the_articles_queued(locked_index, capsys, tmp_path):
    """An index error after ingest's commit used to stop the whole run with a
    traceback; now the run ends with one line saying what waits, non-zero."""
    from haystack import connections

    issue = Issue.objects.get(source_name=SAMPLE_FILES[0].name)
    changed = tmp_path / SAMPLE_FILES[0].name
    changed.write_text("\n".join(issue.source_text.splitlines()[:40]), encoding="utf-8")
    connections["default"].get_backend().write_lock_timeout = 0.2
    try:
        with pytest.raises(CommandError, match=r"articles wait for the search index: run manage\.py drain_index"):
            call_command("ingest", str(changed), "--date", str(issue.publication_date), "--replace", "--no-progress")
    finally:
        connections.reload("default")
    assert "search index not updated, the articles stay queued" in capsys.readouterr().err
    assert queued() >= set(issue.articles.values_list("pk", flat=True)) != set()


def test_ingest_drains_what_an_earlier_run_left(stored, capsys):
    article = Article.objects.order_by("pk").first()
    Article.objects.filter(pk=article.pk).update(headline="上次入库后未进索引的标题")
    indexqueue.enqueue([article.pk])
    call_command("ingest", str(SAMPLE_FILES[0]), "--no-progress")
    assert not PendingIndex.objects.exists()
    assert whoosh_documents(stored) == database_documents()


# --- reporting ---------------------------------------------------------------


def test_healthz_and_check_index_report_the_queue(stored, capsys):
    first, second = Article.objects.order_by("pk")[:2]
    with transaction.atomic():
        indexqueue.enqueue([first.pk, second.pk])
    PendingIndex.objects.update(queued_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=3))
    report = Client().get("/healthz").json()["index_queue"]
    assert report["length"] == 2 and 170 < report["age_seconds"] < 400
    call_command("check_index")
    assert "2 changes wait in the index queue, the oldest for 1" in capsys.readouterr().out
    call_command("check_index", "--fix")
    out = capsys.readouterr().out
    assert "Applied 2 queued changes" in out and "The index queue is empty." in out
    assert search.queue_status().length == 0
    call_command("drain_index")
    assert "0 queued changes applied" in capsys.readouterr().out
