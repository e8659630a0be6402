"""A crash never leaves search behind: real processes killed with SIGKILL.

`manage.py ingest DIR` and an editor's save in a real gunicorn server are
killed at random points (and at the worst point: after the database commit,
while the index write waits for a lock). Then the next ingest, or the next
start of the server, runs, and the database and the index must hold the
same articles in the same versions. The index is read with Whoosh's own
searcher, the database with its own driver: neither through the archive.

``KILL_TRIALS`` (default 3) sets how many random kills each test makes;
docs/reliability.md gives the figures of a longer run.
"""

from __future__ import annotations

import contextlib
import datetime
import html.parser
import http.client
import http.cookiejar
import json
import os
import random
import secrets
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from tests.conftest import PROJECT_DIR, SAMPLE_FILES
from tests.test_production import PYTHON, base_environment, throwaway_database  # noqa: F401  (fixture)

TRIALS = int(os.environ.get("KILL_TRIALS", "3"))
PASSWORD = "crash-test-" + secrets.token_hex(8)


# --- the archive as separate processes ---------------------------------------


class Site:
    """One archive (database, index, cache) driven through its commands."""

    def __init__(self, tmp_path: Path, database_url: str):
        self.tmp_path = tmp_path
        self.database_url = database_url
        self.index_path = tmp_path / "search-index"
        self.env = base_environment(
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            SECURE_HTTPS="0",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=database_url,
            SEARCH_INDEX_PATH=str(self.index_path),
            CACHE_LOCATION=str(tmp_path / "cache"),
            CACHE_GENERATION_FILE=str(tmp_path / "cache-generation"),
            STATIC_MANIFEST="0",
            AXES_ENABLED="0",
            LOG_LEVEL="WARNING",
            GUNICORN_ACCESS_LOG="",
            DJANGO_SUPERUSER_PASSWORD=PASSWORD,
            # Lines as they are written: the test reads the ingest's progress.
            PYTHONUNBUFFERED="1",
        )
        self.next_date = datetime.date(2001, 1, 1)
        self.issue_number = 0

    def manage(self, *arguments, check=True, timeout=300, **variables) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [PYTHON, "manage.py", *arguments],
            cwd=PROJECT_DIR,
            env={**self.env, **variables},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check:
            assert done.returncode == 0, f"{arguments}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        return done

    def start_manage(self, *arguments, **variables) -> subprocess.Popen:
        return subprocess.Popen(
            [PYTHON, "manage.py", *arguments],
            cwd=PROJECT_DIR,
            env={**self.env, **variables},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def issue_files(self, count: int) -> Path:
        """A directory of ``count`` new issues: the samples' text with a
        line of its own, under new dates."""
        directory = self.tmp_path / f"issues-{self.issue_number}"
        directory.mkdir()
        for _ in range(count):
            self.issue_number += 1
            text = SAMPLE_FILES[self.issue_number % len(SAMPLE_FILES)].read_text(encoding="utf-8")
            path = directory / f"{self.next_date.isoformat()}.txt"
            path.write_text(f"{text.rstrip()}\n\n本报第{self.issue_number}号\n", encoding="utf-8")
            self.next_date += datetime.timedelta(days=1)
        return directory

    # -- the two oracles

    def database_articles(self) -> dict[int, datetime.datetime]:
        """{article id: updated_at} as the database's own driver reads them."""
        query = "SELECT id, updated_at FROM archive_article"
        if self.database_url.startswith("sqlite:///"):
            with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as connection:
                rows = connection.execute(query).fetchall()
            return {pk: datetime.datetime.fromisoformat(stamp).replace(tzinfo=None) for pk, stamp in rows}
        import psycopg

        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://", 1)) as connection:
            rows = connection.execute(query).fetchall()
        return {pk: stamp.astimezone(datetime.UTC).replace(tzinfo=None) for pk, stamp in rows}

    def index_articles(self) -> dict[int, datetime.datetime]:
        """{article id: updated_at} as Whoosh's own searcher reads them."""
        with whoosh_index.open_dir(str(self.index_path)).searcher() as searcher:
            return {int(fields["django_id"]): fields["updated_at"] for fields in searcher.all_stored_fields()}

    def assert_in_step(self, note: str = "") -> None:
        database, indexed = self.database_articles(), self.index_articles()
        missing = sorted(set(database) - set(indexed))
        orphaned = sorted(set(indexed) - set(database))
        stale = sorted(pk for pk in set(database) & set(indexed) if database[pk] != indexed[pk])
        assert database, "the database holds no article"
        assert not (missing or orphaned or stale), (
            f"{note}: {len(missing)} missing from the index {missing[:10]}, {len(orphaned)} orphaned "
            f"{orphaned[:10]}, {len(stale)} stale {stale[:10]}"
        )

    def hold_index_lock(self):
        """Take the index's write lock, as another writer would."""
        lock = whoosh_index.open_dir(str(self.index_path)).lock("WRITELOCK")
        assert lock.acquire()
        return lock


@pytest.fixture
def site(tmp_path, throwaway_database):  # noqa: F811  (the imported fixture)
    database_url, _count_rows = throwaway_database
    archive = Site(tmp_path, database_url)
    archive.manage("migrate", "--noinput")
    return archive


def wait_for(condition, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def kill(process: subprocess.Popen) -> bool:
    """SIGKILL ``process``; True if it was still running."""
    if process.poll() is not None:
        return False
    process.kill()
    process.wait(timeout=30)
    return True


# --- a killed ingest -----------------------------------------------------------


def _issues(archive: Site) -> int:
    query = "SELECT COUNT(*) FROM archive_issue"
    if archive.database_url.startswith("sqlite:///"):
        with sqlite3.connect(archive.database_url.removeprefix("sqlite:///")) as connection:
            return connection.execute(query).fetchone()[0]
    import psycopg

    with psycopg.connect(archive.database_url.replace("postgres://", "postgresql://", 1)) as connection:
        return connection.execute(query).fetchone()[0]


def test_an_ingest_killed_after_its_commit_is_completed_by_the_next_ingest(site):
    """The index write waits for another writer's lock; the ingest is killed
    there, after the issues' database commits. The next ingest of the same
    files sees them as stored, and must still bring them into the index."""
    site.manage("ingest", "--no-progress", str(site.issue_files(1)))
    before = _issues(site)
    files = site.issue_files(3)
    lock = site.hold_index_lock()
    try:
        ingest = site.start_manage("ingest", "--no-progress", str(files), SEARCH_WRITE_LOCK_TIMEOUT="300")
        wait_for(lambda: _issues(site) > before or ingest.poll() is not None, 120, "an issue's commit")
        # Whatever it committed waits for the index: the kill comes now.
        time.sleep(1)
        assert kill(ingest), ingest.stdout.read()
    finally:
        lock.release()
    assert _issues(site) > before
    again = site.manage("ingest", "--no-progress", str(files))
    assert "0 failed" in again.stdout
    site.assert_in_step("after the next ingest")


def test_ingests_killed_at_random_points_leave_nothing_behind(site):
    rng = random.Random(os.environ.get("KILL_SEED", secrets.randbits(32)))
    seed_note = f"(KILL_SEED to repeat: {rng.getstate()[1][0]})"
    site.manage("ingest", "--no-progress", str(site.issue_files(1)))
    killed = 0
    for trial in range(TRIALS):
        files = site.issue_files(4)
        # Half the runs commit the index after every file: more moments
        # between a database commit and an index commit to be killed in.
        interval = "0" if trial % 2 else "5"
        ingest = site.start_manage("ingest", "--no-progress", "--index-interval", interval, str(files))
        ingest.stdout.readline()  # the first issue is stored: past start-up
        time.sleep(rng.uniform(0, 1.5))
        killed += kill(ingest)
        site.manage("ingest", "--no-progress", str(files))
        site.assert_in_step(f"trial {trial} {seed_note}")
    print(f"ingest kill trials: {TRIALS}, killed mid-run: {killed}, out of step: 0")


# --- a killed admin save ----------------------------------------------------------


class FormFields(html.parser.HTMLParser):
    """The fields a browser would send back for a form, as rendered."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select = None
        self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.fields.append((name, attributes.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields.append((self._select, attributes.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the one newline that follows <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def server_ports() -> list[int]:
    """Ports for the test server: ARCHIVE_TEST_PORTS (e.g. 8301-8309) on a
    shared machine, else any free port."""
    spec = os.environ.get("ARCHIVE_TEST_PORTS", "")
    if spec:
        low, _, high = spec.partition("-")
        return list(range(int(low), int(high or low) + 1))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1]]


def free_port() -> int:
    for port in server_ports():
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port for the test server")


class Server:
    """The repo's gunicorn.conf.py serving ``site`` with one worker."""

    def __init__(self, archive: Site):
        self.site = archive
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log = archive.tmp_path / "gunicorn.log"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def start(self):
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        env = {**self.site.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "1"}
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [gunicorn, "config.wsgi", "--config", "gunicorn.conf.py"],
                cwd=PROJECT_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: self.health() is not None or self.process.poll() is not None, 120, "the server")
        assert self.process.poll() is None, self.log.read_text()[-3000:]

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def health(self):
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=5) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def children(self) -> list[tuple[int, str]]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        found = []
        for pid in map(int, path.read_text().split()):
            try:
                found.append((pid, Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()))
            except OSError:
                continue
        return found

    def worker(self) -> int:
        workers = [pid for pid, command in self.children() if "drain_index" not in command]
        assert len(workers) == 1, self.children()
        return workers[0]

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, fields: list[tuple[str, str]]):
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()

    def log_in(self, username: str):
        page = self.get("/admin/login/")
        fields = FormFields("login-form")
        fields.feed(page)
        values = dict(fields.fields)
        values.update(username=username, password=PASSWORD)
        status, body = self.post("/admin/login/?next=/admin/", list(values.items()))
        assert status == 200 and "logout" in body.lower(), body[-2000:]

    def article_form(self, pk: int, **changes) -> list[tuple[str, str]]:
        fields = FormFields("article_form")
        fields.feed(self.get(f"/admin/archive/article/{pk}/change/"))
        assert fields.fields, "no article form on the change page"
        return [(name, changes.get(name, value)) for name, value in fields.fields]


@pytest.fixture
def server(site):
    site.manage("ingest", "--no-progress", str(site.issue_files(2)))
    site.manage("createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.org")
    running = Server(site)
    running.start()
    running.log_in("editor")
    yield running
    running.stop()


def save_in_background(server: Server, pk: int, headline: str) -> threading.Thread:
    fields = server.article_form(pk, headline=headline)

    def post():
        # The worker may be killed under the request.
        with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException):
            server.post(f"/admin/archive/article/{pk}/change/", fields)

    thread = threading.Thread(target=post, daemon=True)
    thread.start()
    return thread


def database_headline(archive: Site, pk: int) -> str:
    query = "SELECT headline FROM archive_article WHERE id = %s"
    if archive.database_url.startswith("sqlite:///"):
        with sqlite3.connect(archive.database_url.removeprefix("sqlite:///")) as connection:
            return connection.execute(query.replace("%s", "?"), [pk]).fetchone()[0]
    import psycopg

    with psycopg.connect(archive.database_url.replace("postgres://", "postgresql://", 1)) as connection:
        return connection.execute(query, [pk]).fetchone()[0]


def restart_and_drain(server: Server):
    """The next start of the server, and its drainer emptying the queue."""
    server.stop()
    server.start()
    wait_for(
        lambda: server.health() is not None and server.health().get("index_queue", {"length": 0})["length"] == 0,
        120,
        "the drainer to empty the index queue",
        interval=0.5,
    )


def test_a_save_killed_after_its_commit_is_indexed_at_the_next_start(server):
    """The worker commits the editor's change, then waits for the index lock
    another writer holds; it is killed there. The next start of the server
    must bring the index in step."""
    archive = server.site
    pk = min(archive.database_articles())
    lock = archive.hold_index_lock()
    try:
        save_in_background(server, pk, "提交后被杀的保存")
        wait_for(lambda: database_headline(archive, pk) == "提交后被杀的保存", 60, "the save's commit")
        os.kill(server.worker(), signal.SIGKILL)
    finally:
        lock.release()
    restart_and_drain(server)
    archive.assert_in_step("after the next start")


def test_saves_killed_at_random_points_leave_nothing_behind(server):
    rng = random.Random(os.environ.get("KILL_SEED", secrets.randbits(32)))
    archive = server.site
    ids = sorted(archive.database_articles())
    committed = 0
    for trial in range(TRIALS):
        pk = rng.choice(ids)
        headline = f"第{trial}次被杀的保存"
        worker = server.worker()
        save_in_background(server, pk, headline)
        time.sleep(rng.uniform(0, 0.8))
        os.kill(worker, signal.SIGKILL)
        committed += database_headline(archive, pk) == headline
        restart_and_drain(server)
        archive.assert_in_step(f"trial {trial}")
    print(f"admin save kill trials: {TRIALS}, committed before the kill: {committed}, out of step: 0")


# --- a killed rebuild_index ------------------------------------------------------

COPY_ARTICLES = """
import copy
from archive.models import Article
originals = list(Article.objects.all())
copies = []
for number in range(1, {copies} + 1):
    for original in originals:
        article = copy.copy(original)
        article.pk = None
        article.position = original.position + 1000 * number
        copies.append(article)
Article.objects.bulk_create(copies, batch_size=500)
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def building_dirs(archive: Site) -> list[Path]:
    return sorted(archive.index_path.parent.glob(f"{archive.index_path.name}.*/BUILDING"))


def test_a_killed_rebuild_takes_its_workers_along_and_its_folder_goes_at_the_next_start(site):
    site.manage("ingest", "--no-progress", str(site.issue_files(4)))
    ingested = site.index_articles()
    assert ingested == site.database_articles()
    site.manage("shell", "-c", COPY_ARTICLES.format(copies=150))
    rebuild = site.start_manage("rebuild_index", "--noinput", "--workers", "2", "--batch-size", "20")
    workers = wait_for(lambda: len(children(rebuild.pid)) >= 2 and children(rebuild.pid), 120, "the workers")
    time.sleep(0.5)
    assert all(alive(pid) for pid in workers), "the workers finished before the kill: give them more articles"
    assert kill(rebuild)
    wait_for(lambda: not any(alive(pid) for pid in workers), 5, "the workers to die with their parent")
    assert building_dirs(site), "the killed rebuild left no partial folder"

    done = site.manage("drain_index")
    assert "left by a rebuild that was stopped" in done.stdout
    assert building_dirs(site) == []
    # The live index was never touched: it still answers (it lacks only the
    # copies, which were written behind ingest's back).
    assert site.index_articles() == ingested
    site.manage("rebuild_index", "--noinput", "--workers", "2")
    site.assert_in_step("after a whole rebuild")
