"""Backup and restore of the archive (manage.py backup DIR / restore DIR):
every table comes back exactly, the edit history with its full timestamps
included, and the search index rebuilt from the restored database answers as
before. A backup taken while an ingest writes is one consistent state."""

from __future__ import annotations

import datetime
import os
import sqlite3
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from haystack import connections

from archive import search
from archive.ingest import ingest_file
from archive.models import Article, Issue, Reporter
from archive.parsing import parse_issue
from archive.search.query import search_articles
from tests.conftest import PROJECT_DIR, SAMPLE_FILES

pytestmark = pytest.mark.django_db(transaction=True)


def every_row():
    """{table: sorted rows} of every table of the database, as stored."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables


def searches():
    queries = ["*", "发展", "呼和浩特", "记者"]
    return {query: sorted(search_articles(query, per_page=100, facets=False).article_ids) for query in queries}


@pytest.fixture
def edited_archive(clean_index):
    for path in SAMPLE_FILES:
        ingest_file(path)
    article = Article.objects.order_by("pk").first()
    article.headline = article.headline + "（更正）"
    article.save()
    reporter = Reporter.objects.order_by("pk").first()
    reporter.name = reporter.name + "甲"
    reporter.save()
    search.drain_queue()
    assert Article.history.filter(id=article.pk).count() >= 2
    return article


def test_a_round_trip_gives_back_every_table_and_then_the_same_searches(edited_archive, tmp_path, capsys, settings):
    edited_archive_index = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    before = every_row()
    found_before = searches()
    assert all(found_before.values())
    assert any("historical" in table for table in before)

    call_command("backup", str(tmp_path / "backup"))
    assert "backed up" in capsys.readouterr().out

    # Everything changes afterwards: the restore must undo all of it.
    Issue.objects.order_by("pk").first().delete()
    Reporter.objects.create(name="后来的人")
    article = Article.objects.order_by("pk").last()
    article.headline = "改过的标题"
    article.save()
    assert every_row() != before

    call_command("restore", str(tmp_path / "backup"))
    after = every_row()
    assert set(after) == set(before)
    for table in before:
        assert after[table] == before[table], table

    # The index rebuilt from the restored database, beside the old one and
    # swapped in through a link, as in production.
    link = tmp_path / "index"
    settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = str(link)
    connections.reload("default")
    try:
        call_command("rebuild_index", "--noinput", "--quiet")
        assert link.is_symlink()
        assert searches() == found_before
    finally:
        settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = str(edited_archive_index)
        connections.reload("default")


def test_history_timestamps_come_back_to_the_microsecond(edited_archive, tmp_path):
    stamps = list(Article.history.order_by("history_id").values_list("history_date", flat=True))
    assert any(stamp.microsecond for stamp in stamps)
    call_command("backup", str(tmp_path / "b"))
    Article.history.all().delete()
    call_command("restore", str(tmp_path / "b"))
    assert list(Article.history.order_by("history_id").values_list("history_date", flat=True)) == stamps


def test_backup_refuses_a_directory_that_is_not_empty_and_restore_a_damaged_backup(edited_archive, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "full"))
    with pytest.raises(CommandError, match=r"manifest\.json"):
        call_command("restore", str(tmp_path / "full"))

    call_command("backup", str(tmp_path / "good"))
    damaged = next(path for path in (tmp_path / "good").iterdir() if path.name != "manifest.json")
    with open(damaged, "r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00garbage\x00")
    count = Article.objects.count()
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tmp_path / "good"))
    assert Article.objects.count() == count


def make_issues(directory, count):
    texts = [path.read_text(encoding="utf-8") for path in SAMPLE_FILES]
    start = datetime.date(2001, 1, 1)
    for n in range(count):
        day = start + datetime.timedelta(days=n)
        body = texts[n % 2] + f"\n\n第{n}号附加标题\n\n本报讯(记者 测试{n})这是第{n}期的附加消息。\n"
        (directory / f"issue-{day.isoformat()}.txt").write_text(body, encoding="utf-8")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the default set-up's file database")
def test_backups_taken_while_an_ingest_writes_are_each_one_consistent_state(tmp_path):
    """A real ingest process writes issue after issue into a SQLite file while
    backups are taken from another process: every backup is intact and holds
    only whole issues."""
    issues = tmp_path / "issues"
    issues.mkdir()
    make_issues(issues, 30)
    database = tmp_path / "live.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SEARCH_INDEX_PATH": str(tmp_path / "index"),
        "CACHE_LOCATION": str(tmp_path / "cache"),
        "CACHE_GENERATION_FILE": str(tmp_path / "generation"),
        "ALLOW_INSECURE_DEV_KEY": "1",
        "SECURE_HTTPS": "0",
    }
    manage = [sys.executable, str(PROJECT_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    writer = subprocess.Popen([*manage, "ingest", str(issues), "--no-progress"], env=env, stdout=subprocess.DEVNULL)
    backups = []
    try:
        for n in range(3):
            time.sleep(2)
            target = tmp_path / f"backup-{n}"
            result = subprocess.run([*manage, "backup", str(target)], env=env, capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
            backups.append(target / "archive.sqlite3")
    finally:
        writer.wait(timeout=600)
    expected = {
        path.name: len(parse_issue(path.read_text(encoding="utf-8"), source=path.name).articles)
        for path in issues.iterdir()
    }
    sizes = []
    for path in backups:
        copy = sqlite3.connect(path)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = copy.execute(
            "select i.source_name, count(a.id) from archive_issue i left join archive_article a "
            "on a.issue_id = i.id group by i.id"
        ).fetchall()
        copy.close()
        for name, articles in stored:
            assert articles == expected[name], name
        sizes.append(len(stored))
    assert sizes == sorted(sizes)
    assert sizes[-1] > 0
