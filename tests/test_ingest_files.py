"""Ingest walks the tree honestly and reads within limits: special files,
broken links and unreadable folders are reported with their reason (and the
run exits non-zero), oversized text is refused with one line and nothing of
it stored, and memory stays bounded on any input up to the size limit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from archive.issue_files import IngestError, find_issue_files, read_issue_file
from archive.models import Article, Issue
from tests.conftest import PROJECT_DIR, SAMPLE_FILES


def manage(*arguments, env=None, timeout=120):
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_fifo_named_on_the_command_line_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "issue.txt"
    os.mkfifo(fifo)
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SEARCH_INDEX_PATH": str(tmp_path / "index"),
        "CACHE_GENERATION_FILE": str(tmp_path / "generation"),
    }
    assert manage("migrate", "--noinput", env=env).returncode == 0
    # Before the file was opened without blocking, this run never ended.
    result = manage("ingest", str(fifo), "--no-progress", env=env, timeout=60)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "issue.txt" in line]
    assert lines == [f"error: {fifo}: skipped, a FIFO (named pipe), not a regular file"]


def test_reading_a_fifo_directly_never_blocks(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(IngestError, match="FIFO"):
        read_issue_file(fifo)


@pytest.fixture
def messy_tree():
    """Issues beside the things a real folder of dumps can hold. Made outside
    pytest's private temporary folder so another user can walk it."""
    root = Path(tempfile.mkdtemp(prefix="issues-"))
    os.chmod(root, 0o755)
    shutil.copy(SAMPLE_FILES[0], root / SAMPLE_FILES[0].name)
    (root / "notes.md").write_text("not an issue")
    locked = root / "locked"
    locked.mkdir()
    shutil.copy(SAMPLE_FILES[1], locked / SAMPLE_FILES[1].name)
    os.chmod(locked, 0)
    os.symlink(root / "gone.txt", root / "dangling.txt")
    os.symlink("self.txt", root / "self.txt")
    os.symlink(root, root / "loop")
    os.mkfifo(root / "pipe.txt")
    yield root
    os.chmod(locked, 0o755)
    shutil.rmtree(root)


EXPECTED_REASONS = {
    "dangling.txt": "dangling symbolic link",
    "self.txt": "symbolic link loop",
    "loop": "already walked",
    "pipe.txt": "FIFO",
    "locked": "cannot read directory (Permission denied)",
}


@pytest.fixture
def locked_for_everyone(messy_tree, monkeypatch):
    """The locked folder refuses a listing. Root reads through permissions,
    so when the tests run as root the operating system's refusal is stood in
    for, for that folder alone."""
    if os.geteuid() == 0:
        real_scandir = os.scandir
        locked = str(messy_tree / "locked")

        def scandir(path="."):
            if str(path) == locked:
                raise PermissionError(13, "Permission denied", locked)
            return real_scandir(path)

        monkeypatch.setattr("archive.issue_files.os.scandir", scandir)
    return messy_tree


def test_a_walk_reports_every_path_it_skips_with_its_reason(locked_for_everyone):
    messy_tree = locked_for_everyone
    found = find_issue_files([str(messy_tree)])
    assert found.files == [messy_tree / SAMPLE_FILES[0].name]
    reasons = {Path(skipped.path).name: skipped.reason for skipped in found.skipped}
    assert set(reasons) == set(EXPECTED_REASONS)
    for name, expected in EXPECTED_REASONS.items():
        assert expected in reasons[name], (name, reasons[name])


def test_a_run_that_skipped_anything_exits_non_zero_and_says_so(locked_for_everyone, db, clean_index, capsys):
    messy_tree = locked_for_everyone
    with pytest.raises(CommandError) as error:
        call_command("ingest", str(messy_tree), "--no-progress")
    message = str(error.value)
    assert message.startswith("1 ingested, 0 unchanged, 0 failed; 9 articles created")
    assert message.endswith("; 5 skipped")
    err = capsys.readouterr().err
    for name in EXPECTED_REASONS:
        assert f"{messy_tree / name}: skipped" in err
    assert "Traceback" not in err
    assert Issue.objects.count() == 1


# Limits ---------------------------------------------------------------------


def issue_text(body: str) -> str:
    return f"第1版\n\n要闻\n\n标题一\n\n{body}\n"


def ingest_one(path, capsys):
    with pytest.raises(CommandError) as error:
        call_command("ingest", str(path), "--no-progress")
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "1 failed" in str(error.value)
    assert Issue.objects.count() == 0 and Article.objects.count() == 0
    return lines[0]


def test_a_line_over_the_limit_is_refused_with_one_line(db, clean_index, tmp_path, capsys):
    path = tmp_path / "2024-01-05.txt"
    path.write_text(issue_text("长" * (settings.INGEST_MAX_LINE_CHARS + 1)), encoding="utf-8")
    line = ingest_one(path, capsys)
    assert "line 7 has" in line and "INGEST_MAX_LINE_CHARS" in line and path.name in line


def test_a_paragraph_over_the_limit_is_refused(db, clean_index, tmp_path, capsys, settings):
    settings.INGEST_MAX_PARAGRAPH_CHARS = 3000
    # Lines within the line limit that the parser joins into one paragraph.
    body = "\n".join("这是一段很长的文字" * 50 for _ in range(10))
    path = tmp_path / "2024-01-06.txt"
    path.write_text(issue_text(body), encoding="utf-8")
    line = ingest_one(path, capsys)
    assert "INGEST_MAX_PARAGRAPH_CHARS" in line and "paragraph of" in line


def test_an_article_over_the_limit_is_refused(db, clean_index, tmp_path, capsys, settings):
    settings.INGEST_MAX_ARTICLE_CHARS = 2000
    body = "\n\n".join(f"第{n}段。" + "内容充实的一句话。" * 30 for n in range(12))
    path = tmp_path / "2024-01-07.txt"
    path.write_text(issue_text(body), encoding="utf-8")
    line = ingest_one(path, capsys)
    assert "INGEST_MAX_ARTICLE_CHARS" in line and "标题一" in line


def test_the_real_issues_are_within_every_limit(clean_index, db):
    for path in SAMPLE_FILES:
        call_command("ingest", str(path), "--no-progress")
    assert Article.objects.count() > 0


def test_reading_checks_a_file_at_the_size_limit_in_memory_proportional_to_it(tmp_path, settings):
    settings.INGEST_MAX_BYTES = 3_000_000
    path = tmp_path / "one-line.txt"
    path.write_bytes(("长" * 999_990).encode())  # one line, just under the byte limit
    tracemalloc.start()
    try:
        with pytest.raises(IngestError, match="INGEST_MAX_LINE_CHARS"):
            read_issue_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The bytes, the decoded text and little else.
    assert peak < 6 * settings.INGEST_MAX_BYTES


def peak_rss_of_ingest(path, tmp_path):
    """Ingest ``path`` in a fresh process; (exit code, stderr, peak RSS in MB)."""
    code = (
        "import os, resource, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
        "django.setup(); from django.core.management import call_command, CommandError\n"
        "call_command('migrate', verbosity=0)\n"
        "try:\n    call_command('ingest', sys.argv[1], '--no-progress'); status = 0\n"
        "except CommandError as exc:\n    print(exc, file=sys.stderr); status = 1\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024); sys.exit(status)"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rss.sqlite3'}",
        "SEARCH_INDEX_PATH": str(tmp_path / "index"),
        "CACHE_LOCATION": str(tmp_path / "cache"),
        "CACHE_GENERATION_FILE": str(tmp_path / "generation"),
    }
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    return result.returncode, result.stderr, int(result.stdout.strip().splitlines()[-1])


# What the worst input the limits let through may add to the peak of a
# process that ingests one ordinary issue (Django, jieba's dictionary...):
# measured about 180 MB for 4 MB of maximal lines; a 50 MB line once took 3.66 GB.
MAX_EXTRA_RSS_MB = 400


@pytest.fixture(scope="module")
def ordinary_rss(tmp_path_factory):
    status, stderr, peak = peak_rss_of_ingest(SAMPLE_FILES[0], tmp_path_factory.mktemp("ordinary"))
    assert status == 0, stderr
    return peak


def test_ingest_memory_stays_bounded_on_the_worst_input_within_the_size_limit(tmp_path, ordinary_rss):
    width = settings.INGEST_MAX_LINE_CHARS
    line = ("这是测试用的很长的一行文字没有句号" * (width // 17 + 1))[:width]
    lines = settings.INGEST_MAX_BYTES // len((line + "\n").encode()) - 1
    path = tmp_path / "2024-01-08.txt"
    path.write_text(issue_text("\n".join([line] * lines)), encoding="utf-8")
    assert path.stat().st_size <= settings.INGEST_MAX_BYTES
    status, stderr, peak = peak_rss_of_ingest(path, tmp_path)
    assert status == 1 and "INGEST_MAX_PARAGRAPH_CHARS" in stderr, stderr
    assert peak - ordinary_rss < MAX_EXTRA_RSS_MB, (peak, ordinary_rss)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, ordinary_rss):
    path = tmp_path / "2024-01-09.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse: refused on its size alone
    status, stderr, peak = peak_rss_of_ingest(path, tmp_path)
    assert status == 1 and "INGEST_MAX_BYTES" in stderr, stderr
    assert peak - ordinary_rss < 50, (peak, ordinary_rss)
