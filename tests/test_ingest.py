"""Ingest: files in, one transaction per issue, idempotent, clear errors."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command

from archive.ingest import IngestError, ingest_file, ingest_text
from archive.models import Article, Byline, Issue, Reporter, ReporterAlias
from archive.parsing import parse_issue
from archive.parsing.decoding import DecodeError, decode_issue_bytes
from tests.conftest import PROJECT_DIR, SAMPLE_FILES

pytestmark = pytest.mark.django_db


def counts():
    return Issue.objects.count(), Article.objects.count(), Reporter.objects.count(), Byline.objects.count()


def test_samples_ingest_into_eighteen_articles(ingested_samples):
    assert [r.status for r in ingested_samples] == ["created", "created"]
    assert Issue.objects.count() == 2
    assert Article.objects.count() == 18
    for issue in Issue.objects.all():
        positions = list(issue.articles.values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1))
        assert issue.source_sha256 and issue.source_text


def test_articles_carry_their_issue_date_through_ingest_bulk_inserts_and_date_changes(ingested_samples):
    from django.db.models import F

    assert not Article.objects.exclude(issue_date=F("issue__publication_date")).exists()
    issue = Issue.objects.order_by("publication_date").first()
    # Bulk inserts (benchmarks, merges) skip save() and still get the date.
    stored = Article.objects.bulk_create([Article(issue=issue, position=900), Article(issue_id=issue.pk, position=901)])
    assert [article.issue_date for article in stored] == [issue.publication_date] * 2
    issue.publication_date -= datetime.timedelta(days=40)
    issue.save()
    assert set(issue.articles.values_list("issue_date", flat=True)) == {issue.publication_date}
    assert not Article.objects.exclude(issue_date=F("issue__publication_date")).exists()


def test_ingest_twice_changes_nothing(ingested_samples):
    before = counts()
    ids = list(Article.objects.order_by("pk").values_list("pk", "updated_at"))
    again = [ingest_file(path) for path in SAMPLE_FILES]
    assert [r.status for r in again] == ["unchanged", "unchanged"]
    assert counts() == before
    assert list(Article.objects.order_by("pk").values_list("pk", "updated_at")) == ids


def test_gbk_copy_is_the_same_content(ingested_samples, tmp_path):
    gbk = tmp_path / SAMPLE_FILES[0].name
    gbk.write_bytes(SAMPLE_FILES[0].read_text(encoding="utf-8").encode("gbk"))
    before = counts()
    result = ingest_file(gbk)
    assert result.status == "unchanged"
    assert counts() == before


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8-sig", b""), ("gb18030", b""), ("gbk", b""), ("utf-16", b"")],
)
def test_supported_encodings_decode_to_the_same_text(encoding, prefix):
    text = SAMPLE_FILES[1].read_text(encoding="utf-8")
    decoded, _ = decode_issue_bytes(prefix + text.encode(encoding))
    assert decoded == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\n\n   \n", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(200)) * 10, "binary"),
        ("正文".encode() + b"\xc3\x28\xff\xff" * 100, "undecodable"),
    ],
    ids=["empty", "blank", "all-bytes", "png", "invalid-sequences"],
)
def test_unreadable_bytes_are_refused_by_name(data, reason):
    with pytest.raises(DecodeError, match=reason):
        decode_issue_bytes(data)


def test_latin1_text_is_refused_not_guessed():
    with pytest.raises(DecodeError):
        decode_issue_bytes(("Zürich café " * 50).encode("latin-1") + bytes(range(128, 256)))


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture
def bad_files(tmp_path, settings):
    settings.INGEST_MAX_BYTES = 30_000
    return {
        "empty": write(tmp_path, "empty.txt", b""),
        "binary": write(tmp_path, "binary.txt", bytes(range(256)) * 8),
        "undecodable": write(tmp_path, "undecodable.txt", "正文".encode() + b"\xc3\x28\xff\xff" * 10),
        "no article": write(tmp_path, "labels.txt", "第2版\n\n要闻\n\n第3版\n".encode()),
        "over the": write(tmp_path, "huge.txt", ("新闻正文。" * 3000).encode()),
    }


def test_each_bad_file_gets_one_clear_line_and_stores_nothing(bad_files, clean_index, capsys):
    for reason, path in bad_files.items():
        with pytest.raises(CommandError) as error:
            call_command("ingest", str(path), "--no-progress")
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        lines = [line for line in captured.err.splitlines() if line.strip()]
        assert len(lines) == 1, lines
        assert path.name in lines[0]
        assert reason in lines[0] or reason in str(error.value)
        assert "1 failed" in str(error.value)
        assert counts() == (0, 0, 0, 0)


def test_good_files_go_in_even_when_others_fail(bad_files, clean_index, capsys):
    paths = [str(p) for p in bad_files.values()] + [str(p) for p in SAMPLE_FILES]
    with pytest.raises(CommandError, match="2 ingested, 0 unchanged, 5 failed; 18 articles created"):
        call_command("ingest", *paths, "--no-progress")
    assert Article.objects.count() == 18


def test_changed_content_is_refused_without_replace(ingested_samples, tmp_path):
    original = SAMPLE_FILES[0].read_text(encoding="utf-8")
    changed = original.replace("平均增幅6.6%", "平均增幅6.7%")
    assert changed != original
    issue = Issue.objects.get(source_name=SAMPLE_FILES[0].name)
    with pytest.raises(IngestError, match="--replace"):
        ingest_text(changed, source_name=SAMPLE_FILES[0].name, issue_date=issue.publication_date)
    assert Issue.objects.get(pk=issue.pk).source_sha256 == issue.source_sha256

    ids = sorted(issue.articles.values_list("pk", flat=True))
    result = ingest_text(changed, source_name=SAMPLE_FILES[0].name, issue_date=issue.publication_date, replace=True)
    assert result.status == "replaced"
    assert result.articles_created == 0
    # Permalinks survive a replace: the same article rows are updated.
    assert sorted(issue.articles.values_list("pk", flat=True)) == ids
    assert any("6.7%" in p for a in issue.articles.all() for p in a.paragraphs)


def test_date_option_and_file_name_date(db, clean_index, tmp_path):
    text = SAMPLE_FILES[1].read_text(encoding="utf-8")
    named = tmp_path / "hhhtrb-2023-05-25.txt"
    named.write_text(text, encoding="utf-8")
    result = ingest_file(named)
    assert result.issue.publication_date == datetime.date(2023, 5, 25)
    assert result.issue.date_inferred is False


def test_command_summary_and_rerun(db, clean_index, capsys):
    call_command("ingest", *map(str, SAMPLE_FILES), "--no-progress")
    out = capsys.readouterr().out
    assert "2 ingested, 0 unchanged, 0 failed; 18 articles created" in out
    call_command("ingest", str(PROJECT_DIR / "samples" / "*.txt"), "--no-progress")
    out = capsys.readouterr().out
    assert "0 ingested, 2 unchanged, 0 failed; 0 articles created" in out


def test_missing_path_is_a_clear_error(db):
    with pytest.raises(CommandError, match="no such file"):
        call_command("ingest", "/nonexistent/issue.txt")


def test_parse_issue_command_prints_the_contract(db, capsys):
    import json

    call_command("parse_issue", str(SAMPLE_FILES[0]), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == SAMPLE_FILES[0].name
    assert set(data) == {"source", "issue_date", "issue_date_inferred", "articles", "unassigned"}
    assert data["articles"] and all("paragraphs" in a for a in data["articles"])
    assert Issue.objects.count() == 0


def test_indexing_covers_exactly_the_ingested_articles(ingested_samples):
    from haystack.query import SearchQuerySet

    indexed = {int(r.pk) for r in SearchQuerySet().models(Article).all()[:1000]}
    assert indexed == set(Article.objects.values_list("pk", flat=True))


def _make_issues(directory, count):
    """Distinct issue files built from the samples, each with its own date."""
    texts = [p.read_text(encoding="utf-8") for p in SAMPLE_FILES]
    start = datetime.date(2001, 1, 1)
    for n in range(count):
        day = start + datetime.timedelta(days=n)
        body = texts[n % 2] + f"\n\n第{n}号附加标题\n\n本报讯(记者 测试{n})这是第{n}期的附加消息。\n"
        (directory / f"issue-{day.isoformat()}.txt").write_text(body, encoding="utf-8")


@pytest.mark.django_db(transaction=True)
def test_killing_ingest_midway_leaves_no_half_issue(tmp_path):
    """A real process, really killed: every stored issue is complete."""
    issues_dir = tmp_path / "issues"
    issues_dir.mkdir()
    _make_issues(issues_dir, 40)
    database = tmp_path / "kill.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SEARCH_INDEX_PATH": str(tmp_path / "index"),
        "ALLOW_INSECURE_DEV_KEY": "1",
        "SECURE_HTTPS": "0",
    }
    manage = [sys.executable, str(PROJECT_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    process = subprocess.Popen([*manage, "ingest", str(issues_dir), "--no-progress"], env=env, stdout=subprocess.PIPE)
    # Wait until at least one issue is in, then kill without warning.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline().decode()
        if "created issue" in line:
            break
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.wait()

    import sqlite3

    connection = sqlite3.connect(database)
    stored = connection.execute(
        "select i.source_name, count(a.id) from archive_issue i left join archive_article a on a.issue_id = i.id "
        "group by i.id"
    ).fetchall()
    connection.close()
    assert 0 < len(stored) < 40, "the kill should land mid-run"
    for source_name, article_count in stored:
        text = (issues_dir / source_name).read_text(encoding="utf-8")
        assert article_count == len(parse_issue(text, source=source_name).articles), source_name


def test_parse_issue_runs_on_a_bare_checkout_without_settings_from_the_environment():
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    env.pop("ALLOW_INSECURE_DEV_KEY", None)
    result = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "manage.py"), "parse_issue", str(SAMPLE_FILES[0]), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().startswith("{")


def test_the_web_application_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    env.pop("ALLOW_INSECURE_DEV_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr.strip().splitlines()[-1]


def test_a_merged_name_printed_again_means_the_reporter_it_was_merged_into(clean_index):
    text = SAMPLE_FILES[0].read_text(encoding="utf-8")
    printed = parse_issue(text, SAMPLE_FILES[0].name).articles
    name = next(byline.name for article in printed for byline in article.bylines)
    kept = Reporter.objects.create(name="合并后的名字")
    ReporterAlias.objects.create(name=name, reporter=kept)

    ingest_file(SAMPLE_FILES[0])

    assert not Reporter.objects.filter(name=name).exists()
    signed = sum(1 for article in printed for byline in article.bylines if byline.name == name)
    assert Byline.objects.filter(reporter=kept).count() == signed > 0


def test_articles_the_parser_doubts_are_stored_counted_and_reported(db, clean_index, capsys):
    path = PROJECT_DIR / "tests" / "data" / "real" / "tuned" / "rmrb_1984-10-17_p1.txt"
    doubted = [a.doubts for a in parse_issue(path.read_text(encoding="utf-8"), path.name).articles]
    assert any(doubted) and not all(doubted)
    call_command("ingest", str(path), "--no-progress")
    out = capsys.readouterr().out
    stored = list(Article.objects.order_by("position").values_list("doubts", flat=True))
    assert stored == doubted
    flagged = sum(map(bool, doubted))
    assert f"{flagged} flagged for review" in out
    assert f"1 ingested, 0 unchanged, 0 failed; {len(doubted)} articles created, {flagged} flagged for review" in out
