"""Load test: gunicorn on 127.0.0.1 serving N synthetic articles.

Builds (once, cached under var/bench/) a database and search index of N
articles from bench/synthetic.py, starts gunicorn with the repo's
gunicorn.conf.py on a free port of 127.0.0.1, and drives it with wrk (one
thread and one connection per client, a Lua script drawing the URLs) with a
mix of 70% browse pages (home, issue, archive year/month, article, reporter,
topic, listings) and 30% searches, at each client count for a bounded time.
Then browse pages alone at the highest client count.

Needs wrk on the PATH (Debian: ``apt-get install wrk``); this script installs
nothing. wrk is a small C program, so the driver takes next to no CPU from
the server it measures.

Prints requests/s, p50/p95/p99 and errors per level and, last, one JSON line
with ``errors`` (all levels), ``p95_ms`` (the mix at the highest client
count) and ``page_rps`` (browse pages alone at the highest client count).

    .venv/bin/python bench/load.py --articles 10000 --clients 1,8,32 --seconds 20
    .venv/bin/python bench/load.py --articles 10000 --cache none   # every page rendered

Targets on a 2-core machine: no errors at 32 clients, p95 <= 500 ms for the
mix, browse pages >= 100 requests/s. Traffic goes to 127.0.0.1 only.

With ``--during-ingest`` it measures readers beside a writer instead: on a
copy of the archive, the mix at the highest client count while idle, then
again while ``manage.py ingest`` stores real issue dumps (the samples and the
parser's test issues under new dates), in turns, and prints both page p95s
and their ratio (target: at most 2).

    .venv/bin/python bench/load.py --articles 5000 --clients 8 --seconds 10 --rounds 4 --during-ingest
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

BENCH_DIR = PROJECT_DIR / "var" / "bench"
HOST = "127.0.0.1"
SEARCH_SHARE = 0.3
REQUEST_TIMEOUT = 30.0
# Browse pages by weight: articles and issues are what readers open most.
CACHE_BACKENDS = {
    "memory": "django.core.cache.backends.locmem.LocMemCache",
    "file": "archive.caching.SharedFileCache",
    "none": "django.core.cache.backends.dummy.DummyCache",
}
PAGE_WEIGHTS = {
    "article": 30,
    "issue": 20,
    "reporter": 14,
    "topic": 10,
    "month": 10,
    "year": 5,
    "home": 5,
    "reporter_list": 3,
    "topic_list": 3,
}


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="synthetic articles (default 10000)")
    parser.add_argument("--clients", default="1,8,32", help="comma-separated concurrent clients (default 1,8,32)")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per level (default 20)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--titles", type=int, choices=(1, 2), default=2, help="titles the articles are spread over (default 2)"
    )
    parser.add_argument("--port", type=int, default=0, help="port of 127.0.0.1 to serve on (default: a free one)")
    parser.add_argument(
        "--cache",
        choices=sorted(CACHE_BACKENDS),
        default="file",
        help="file (the settings' default): one cache shared by the workers, emptied first; "
        "memory: a local-memory cache per worker; none: render every page",
    )
    parser.add_argument(
        "--during-ingest",
        action="store_true",
        help="measure the mix idle, then while manage.py ingest runs (on a copy of the archive)",
    )
    parser.add_argument(
        "--index-interval", type=float, default=None, help="with --during-ingest: ingest's --index-interval"
    )
    parser.add_argument("--ingest-nice", type=int, default=None, help="with --during-ingest: ingest's --nice")
    parser.add_argument("--rounds", type=int, default=4, help="with --during-ingest: idle/ingest windows (default 4)")
    parser.add_argument("--rebuild", action="store_true", help="build the synthetic data again")
    parser.add_argument("--build-only", action="store_true", help="build (or check) the synthetic data, then stop")
    args = parser.parse_args(argv)
    try:
        args.client_levels = sorted({int(c) for c in args.clients.split(",") if c.strip()})
    except ValueError:
        parser.error("--clients takes numbers separated by commas, e.g. 1,8,32")
    if not args.client_levels or min(args.client_levels) < 1 or max(args.client_levels) > 512:
        parser.error("--clients: each between 1 and 512")
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    if not 1 <= args.seconds <= 600:
        parser.error("--seconds must be between 1 and 600")
    return args


# --- data -----------------------------------------------------------------


def server_environment(data_dir: Path, cache: str = "memory") -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "ALLOW_INSECURE_DEV_KEY", "CACHE_BACKEND", "CACHE_LOCATION"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_HTTPS="0",
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{data_dir / 'archive.sqlite3'}",
        SEARCH_INDEX_PATH=str(data_dir / "search-index"),
        STATIC_ROOT=str(BENCH_DIR / "staticfiles"),
        LOG_LEVEL="WARNING",
        AXES_ENABLED="0",
    )
    env["CACHE_BACKEND"] = CACHE_BACKENDS[cache]
    if cache == "file":
        cache_dir = BENCH_DIR / "cache"
        shutil.rmtree(cache_dir, ignore_errors=True)
        env["CACHE_LOCATION"] = str(cache_dir)
    return env


def prepare_data(args) -> tuple[Path, dict]:
    """Build or reuse the synthetic archive; returns its directory and the URL pool."""
    from bench.synthetic import GENERATOR_VERSION

    titles = "" if args.titles == 2 else f"-titles{args.titles}"
    data_dir = BENCH_DIR / f"load-{args.articles}-seed{args.seed}{titles}-v{GENERATOR_VERSION}"
    marker = data_dir / "complete.json"
    if args.rebuild and data_dir.exists():
        shutil.rmtree(data_dir)
    os.environ.update(server_environment(data_dir))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from archive.models import Article

    if not marker.exists():
        if data_dir.exists():
            shutil.rmtree(data_dir)
        data_dir.mkdir(parents=True)
    # Creates a new database, or brings a cached one up to newer migrations.
    call_command("migrate", verbosity=0, interactive=False)
    if not marker.exists():
        print(f"building {args.articles} synthetic articles in {data_dir} (once)", flush=True)
        started = time.perf_counter()
        from bench.synthetic import SyntheticArchive, populate

        populate(
            SyntheticArchive(seed=args.seed, titles=args.titles),
            args.articles,
            progress=lambda message: print(f"  {message}  {time.perf_counter() - started:.0f} s", flush=True),
        )
        marker.write_text(json.dumps({"articles": args.articles, "seconds": round(time.perf_counter() - started)}))
    if not (BENCH_DIR / "staticfiles" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    stored = Article.objects.count()
    if stored != args.articles:
        sys.exit(f"{data_dir} holds {stored} articles, not {args.articles}; run again with --rebuild")
    return data_dir, url_pool(args.seed)


def url_pool(seed: int) -> dict[str, list[str]]:
    from django.db import connections
    from django.urls import reverse

    from archive.models import Article, Issue, Reporter, Topic
    from bench.synthetic import SyntheticArchive

    rng = random.Random(f"urls-{seed}")

    def sample(values, k=3000):
        values = list(values)
        return rng.sample(values, min(k, len(values)))

    # Issues and articles of every title, under their titles' addresses.
    days = list(Issue.objects.values_list("paper__slug", "publication_date"))
    articles = list(Article.objects.values_list("paper__slug", "pk"))
    pool = {
        "home": [reverse("archive:home")],
        "issue": [reverse("archive:issue_detail", args=[slug, day]) for slug, day in sample(days)],
        "year": sorted({reverse("archive:archive_year", args=[slug, day.year]) for slug, day in days}),
        "month": sorted({reverse("archive:archive_month", args=[slug, day.year, day.month]) for slug, day in days}),
        "article": [reverse("archive:article_detail", args=[slug, pk]) for slug, pk in sample(articles)],
        "reporter": [
            reverse("archive:reporter_detail", args=[slug])
            for slug in sample(Reporter.objects.filter(bylines__isnull=False).values_list("slug", flat=True).distinct())
        ],
        "topic": [
            reverse("archive:topic_detail", args=[slug]) for slug in Topic.objects.values_list("slug", flat=True)
        ],
        "reporter_list": [reverse("archive:reporter_list")],
        "topic_list": [reverse("archive:topic_list")],
        "search": [
            f"{reverse('archive:search')}?q={urllib.parse.quote(term)}"
            for term in SyntheticArchive(seed=seed).search_terms(2000)
        ],
    }
    connections.close_all()
    return pool


# --- server ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(data_dir: Path, args) -> tuple[subprocess.Popen, int]:
    port = args.port or free_port()
    env = server_environment(data_dir, cache=args.cache)
    env["GUNICORN_ACCESS_LOG"] = ""
    env["GUNICORN_BIND"] = f"{HOST}:{port}"
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = (BENCH_DIR / "load-gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "--config", "gunicorn.conf.py"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return process, port
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.3)
    stop_gunicorn(process)
    sys.exit(f"gunicorn did not answer /healthz within 120 s; see {log.name}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def server_memory_mb(master_pid: int) -> float | None:
    """Proportional set size of the master and its workers (shared pages counted once)."""
    pids = [master_pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()]
        total_kb = 0
        for pid in pids:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
    except OSError:
        return None
    return total_kb / 1024


def server_cpu_seconds(master_pid: int) -> float:
    """CPU time used so far by the master and its workers, current and
    exited (a worker gunicorn recycled is counted in the master's reaped
    children's time; without it a level's figure could come out negative).

    Requests/s depends on what else the machine runs; CPU per request does
    not, so the report shows both."""
    ticks = os.sysconf("SC_CLK_TCK")
    try:
        pids = [master_pid, *map(int, Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split())]
    except OSError:
        return 0.0
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if pid == master_pid:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime: reaped workers
    return total / ticks


# --- load -----------------------------------------------------------------


@dataclass
class Sample:
    kind: str  # "page" or "search"
    page: str  # which page (a PAGE_WEIGHTS key) or "search"
    ok: bool
    milliseconds: float


@dataclass
class LevelResult:
    clients: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    server_cpu: float = 0.0

    def summary(self, kind: str | None = None, page: str | None = None) -> dict:
        chosen = [s for s in self.samples if (kind is None or s.kind == kind) and (page is None or s.page == page)]
        times = sorted(s.milliseconds for s in chosen if s.ok)
        errors = sum(1 for s in chosen if not s.ok)

        def percentile(p):
            return round(times[min(len(times) - 1, int(p / 100 * len(times)))], 1) if times else None

        summary = {
            "requests": len(chosen),
            "rps": round(len(chosen) / self.seconds, 1),
            "p50_ms": percentile(50),
            "p95_ms": percentile(95),
            "p99_ms": percentile(99),
            "errors": errors,
        }
        if kind is None and page is None and chosen:
            summary["server_cpu_ms_per_request"] = round(self.server_cpu * 1000 / len(chosen), 1)
        return summary


# The load is driven by wrk (C, event loop; Debian package ``wrk``) so that the
# driver takes next to no CPU from the server it measures. One wrk thread per
# client, each with one connection: a client sends a request, waits for the
# whole response, then sends the next one. The Lua script draws each request
# from the weighted URL pool and records (page, status, latency) per request
# in a file per client; wrk's own summary adds socket errors.
WRK_SCRIPT = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } load_timespec;
int clock_gettime(int clock, load_timespec *tp);
]]
local now = ffi.new("load_timespec")
local function microseconds()
  ffi.C.clock_gettime(1, now)  -- CLOCK_MONOTONIC
  return tonumber(now.tv_sec) * 1000000 + tonumber(now.tv_nsec) / 1000
end

local pool = dofile(POOL_FILE)
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("client", #threads)
end

local out, started, page, path_index
local total_weight = 0

function init(args)
  math.randomseed(SEED * 1000 + client)
  for _, entry in ipairs(pool.pages) do total_weight = total_weight + entry.weight end
  out = io.open(OUT_DIR .. "/client-" .. client .. ".txt", "w")
  out:setvbuf("full")
end

local function draw()
  if math.random() < SEARCH_SHARE then
    return "search", pool.urls.search
  end
  local roll = math.random() * total_weight
  for _, entry in ipairs(pool.pages) do
    roll = roll - entry.weight
    if roll <= 0 then return entry.name, pool.urls[entry.name] end
  end
  local last = pool.pages[#pool.pages]
  return last.name, pool.urls[last.name]
end

function request()
  local urls
  page, urls = draw()
  path_index = math.random(#urls)
  started = microseconds()
  return wrk.format("GET", urls[path_index], {["Accept-Encoding"] = "gzip"})
end

function response(status, headers, body)
  out:write(page, " ", path_index, " ", status, " ", math.floor(microseconds() - started), "\n")
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write("socket-errors ", e.connect, " ", e.read, " ", e.write, " ", e.timeout, "\n")
end
"""


def wrk_binary() -> str:
    path = shutil.which("wrk")
    if path is None:
        sys.exit("bench/load.py drives the server with wrk: install it first (Debian: apt-get install wrk)")
    return path


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_pool(pool: dict, path: Path) -> None:
    """The URL pool as a Lua table: page kinds with weights, URLs per kind."""
    pages = ", ".join(f"{{name = {lua_string(name)}, weight = {weight}}}" for name, weight in PAGE_WEIGHTS.items())
    urls = ",\n".join(
        f"[{lua_string(name)}] = {{{', '.join(lua_string(url) for url in values)}}}" for name, values in pool.items()
    )
    path.write_text(f"return {{pages = {{{pages}}}, urls = {{\n{urls}\n}}}}\n", encoding="utf-8")


def run_level(process, port, pool, clients, seconds, search_share, seed) -> LevelResult:
    """``clients`` clients for ``seconds`` through wrk; every response recorded."""
    work = Path(tempfile.mkdtemp(prefix="load-wrk-"))
    try:
        write_pool(pool, work / "pool.lua")
        script = work / "load.lua"
        script.write_text(
            f"POOL_FILE = {lua_string(str(work / 'pool.lua'))}\nOUT_DIR = {lua_string(str(work))}\n"
            f"SEED = {int(seed)}\nSEARCH_SHARE = {float(search_share)!r}\n{WRK_SCRIPT}",
            encoding="utf-8",
        )
        command = [
            wrk_binary(),
            f"-t{clients}",
            f"-c{clients}",
            f"-d{max(1, round(seconds))}s",
            f"--timeout={int(REQUEST_TIMEOUT)}s",
            "-s",
            str(script),
            f"http://{HOST}:{port}/",
        ]
        cpu_before = server_cpu_seconds(process.pid)
        completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + REQUEST_TIMEOUT + 60)
        cpu = server_cpu_seconds(process.pid) - cpu_before
        if completed.returncode != 0:
            sys.exit(f"wrk failed ({completed.returncode}): {completed.stderr.strip() or completed.stdout.strip()}")
        result = LevelResult(clients=clients, seconds=float(seconds), server_cpu=cpu)
        for output in sorted(work.glob("client-*.txt")):
            for line in output.read_text().splitlines():
                page, index, status, micros = line.split()
                ok = status == "200"
                result.samples.append(Sample("search" if page == "search" else "page", page, ok, int(micros) / 1000))
                if not ok:
                    key = f"HTTP {status} {pool[page][int(index) - 1][:60]}"
                    result.failures[key] = result.failures.get(key, 0) + 1
        for line in completed.stdout.splitlines():
            if line.startswith("socket-errors "):
                for name, count in zip(
                    ("connect", "read", "write", "timeout"), map(int, line.split()[1:]), strict=True
                ):
                    if count:
                        # Not tied to a request wrk could report: counted against the level as a whole.
                        result.failures[f"socket {name} error"] = count
                        result.samples.extend(Sample("page", "socket", False, 0.0) for _ in range(count))
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report_line(label: str, summary: dict) -> str:
    line = (
        f"{label:<22} {summary['rps']:>8.1f} req/s  p50 {summary['p50_ms'] or 0:>7.1f} ms  "
        f"p95 {summary['p95_ms'] or 0:>7.1f} ms  p99 {summary['p99_ms'] or 0:>7.1f} ms  errors {summary['errors']}"
    )
    if "server_cpu_ms_per_request" in summary:
        line += f"  server CPU {summary['server_cpu_ms_per_request']:.1f} ms/request"
    return line


# --- readers beside an ingest -------------------------------------------------

INGEST_SOURCES = [
    *sorted((PROJECT_DIR / "samples").glob("*.txt")),
    *sorted((PROJECT_DIR / "tests" / "data").glob("*.txt")),
]
INGEST_FILES = 400


def copy_archive(data_dir: Path, target: Path) -> None:
    """A copy to ingest into, so the cached synthetic archive stays as built:
    the database through SQLite's backup API, the live index generation."""
    import sqlite3

    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with sqlite3.connect(data_dir / "archive.sqlite3") as source, sqlite3.connect(target / "archive.sqlite3") as copy:
        source.backup(copy)
    shutil.copytree((data_dir / "search-index").resolve(), target / "search-index")


def issue_files(directory: Path, count: int) -> Path:
    """Real dumps under dates the synthetic archive does not use, each with a
    line of its own so that none is recognised as already stored."""
    directory.mkdir(parents=True, exist_ok=True)
    day = datetime.date(2030, 1, 1)
    for number in range(count):
        text = INGEST_SOURCES[number % len(INGEST_SOURCES)].read_text(encoding="utf-8")
        (directory / f"{day.isoformat()}.txt").write_text(f"{text.rstrip()}\n\n本报第{number}号\n", encoding="utf-8")
        day += datetime.timedelta(days=1)
    return directory


def merged(levels: list[LevelResult]) -> LevelResult:
    result = LevelResult(clients=levels[0].clients, seconds=sum(level.seconds for level in levels))
    for level in levels:
        result.samples += level.samples
        result.server_cpu += level.server_cpu
        for failure, count in level.failures.items():
            result.failures[failure] = result.failures.get(failure, 0) + count
    return result


def during_ingest(args, data_dir: Path, pool: dict) -> int:
    """Idle and ingest windows in turn (the ingest stopped with SIGSTOP, then
    let go with SIGCONT), so both see the same background load on a shared
    machine; each side's samples are pooled."""
    scratch = BENCH_DIR / "during-ingest"
    copy_archive(data_dir, scratch)
    files = issue_files(scratch / "issues", INGEST_FILES)
    clients = max(args.client_levels)
    # Before the server starts: building the environment empties a file cache.
    ingest_env = server_environment(scratch, cache=args.cache)
    process, port = start_gunicorn(scratch, args)
    ingest = None
    idle_levels, busy_levels, loads = [], [], []
    try:
        print(f"gunicorn pid {process.pid} on {HOST}:{port}, {args.articles} articles, cache {args.cache}", flush=True)
        command = [sys.executable, "manage.py", "ingest", "--no-progress", str(files)]
        if args.index_interval is not None:
            command += ["--index-interval", str(args.index_interval)]
        if args.ingest_nice is not None:
            command += ["--nice", str(args.ingest_nice)]
        log = (BENCH_DIR / "load-ingest.log").open("w")
        ingest = subprocess.Popen(command, cwd=PROJECT_DIR, env=ingest_env, stdout=log, stderr=log)
        # Warm-up, not measured: the workers' first requests, the cache, and
        # the ingest's start-up.
        run_level(process, port, pool, clients, max(5.0, args.seconds), SEARCH_SHARE, args.seed + 1000)
        for round_number in range(args.rounds):
            # Idle first in odd rounds, ingest first in even ones: a cache
            # still warming, or a neighbour's load rising, favours neither.
            for running in (False, True) if round_number % 2 == 0 else (True, False):
                ingest.send_signal(signal.SIGCONT if running else signal.SIGSTOP)
                level = run_level(process, port, pool, clients, args.seconds, SEARCH_SHARE, args.seed + round_number)
                (busy_levels if running else idle_levels).append(level)
            loads.append(os.getloadavg()[0])
            if ingest.poll() is not None:
                sys.exit(f"the ingest ended during round {round_number + 1}: give it more files or shorter rounds")
            print(
                f"round {round_number + 1}: page p95 idle {idle_levels[-1].summary('page')['p95_ms']} ms, "
                f"ingest {busy_levels[-1].summary('page')['p95_ms']} ms, load average {loads[-1]:.1f}",
                flush=True,
            )
    finally:
        if ingest is not None and ingest.poll() is None:
            # Stopping an ingest anywhere is safe: what it committed is queued
            # for the index.
            ingest.send_signal(signal.SIGCONT)
            ingest.terminate()
            ingest.wait(timeout=60)
        stop_gunicorn(process)
    idle, busy = merged(idle_levels), merged(busy_levels)
    print(report_line(f"idle   {clients:>3} clients", idle.summary()), flush=True)
    print(report_line("  pages", idle.summary("page")), flush=True)
    print(report_line(f"ingest {clients:>3} clients", busy.summary()), flush=True)
    print(report_line("  pages", busy.summary("page")), flush=True)
    for failure, count in sorted(busy.failures.items(), key=lambda item: -item[1])[:5]:
        print(f"    {count} x {failure}", flush=True)
    stored = sum(1 for line in (BENCH_DIR / "load-ingest.log").read_text().splitlines() if ": created issue" in line)
    idle_p95, busy_p95 = idle.summary("page")["p95_ms"], busy.summary("page")["p95_ms"]
    ratio = round(busy_p95 / idle_p95, 2) if idle_p95 and busy_p95 else None
    ingest_seconds = args.rounds * args.seconds + max(5.0, args.seconds)
    print(f"{stored} issues ingested in about {ingest_seconds:.0f} s of running; page p95 ratio {ratio}", flush=True)
    print(
        json.dumps(
            {
                "articles": args.articles,
                "clients": clients,
                "rounds": args.rounds,
                "seconds": args.seconds,
                "cache": args.cache,
                "index_interval": args.index_interval,
                "ingest_nice": args.ingest_nice,
                "idle_page_p95_ms": idle_p95,
                "ingest_page_p95_ms": busy_p95,
                "page_p95_ratio": ratio,
                "idle_p95_ms": idle.summary()["p95_ms"],
                "ingest_p95_ms": busy.summary()["p95_ms"],
                "idle_rps": idle.summary()["rps"],
                "ingest_rps": busy.summary()["rps"],
                "errors": idle.summary()["errors"] + busy.summary()["errors"],
                "issues_ingested": stored,
                "load_average": round(sum(loads) / len(loads), 2) if loads else None,
            }
        )
    )
    return 0


def main(argv=None) -> int:
    args = parse_arguments(argv)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    data_dir, pool = prepare_data(args)
    if args.build_only:
        print(f"{args.articles} articles ready in {data_dir}")
        return 0
    if args.during_ingest:
        return during_ingest(args, data_dir, pool)
    process, port = start_gunicorn(data_dir, args)
    levels, pages_only = [], None
    try:
        memory = server_memory_mb(process.pid)
        print(
            f"gunicorn pid {process.pid} on {HOST}:{port}, {args.articles} articles in {args.titles} title(s), "
            f"cache {args.cache}, "
            f"memory (PSS) {f'{memory:.0f} MB' if memory else 'unknown'}",
            flush=True,
        )
        # Warm-up, not measured: first requests of each worker, caches.
        run_level(process, port, pool, 8, min(3.0, args.seconds), SEARCH_SHARE, args.seed + 1000)
        for clients in args.client_levels:
            level = run_level(process, port, pool, clients, args.seconds, SEARCH_SHARE, args.seed)
            levels.append(level)
            print(report_line(f"mix   {clients:>3} clients", level.summary()), flush=True)
            print(report_line("  pages", level.summary("page")), flush=True)
            print(report_line("  searches", level.summary("search")), flush=True)
            for failure, count in sorted(level.failures.items(), key=lambda item: -item[1])[:5]:
                print(f"    {count} x {failure}", flush=True)
        top = max(args.client_levels)
        pages_only = run_level(process, port, pool, top, args.seconds, 0.0, args.seed + 1)
        print(report_line(f"pages {top:>3} clients", pages_only.summary()), flush=True)
        # Where the time goes, page by page.
        for page in PAGE_WEIGHTS:
            print(report_line(f"  {page}", pages_only.summary(page=page)), flush=True)
        for failure, count in sorted(pages_only.failures.items(), key=lambda item: -item[1])[:5]:
            print(f"    {count} x {failure}", flush=True)
        memory_after = server_memory_mb(process.pid)
    finally:
        stop_gunicorn(process)

    highest = levels[-1].summary()
    result = {
        "articles": args.articles,
        "titles": args.titles,
        "seconds_per_level": args.seconds,
        "cache": args.cache,
        "workers": args.workers,
        "levels": [
            {
                "clients": level.clients,
                **level.summary(),
                "pages": level.summary("page"),
                "searches": level.summary("search"),
            }
            for level in levels
        ],
        "pages_only": {"clients": pages_only.clients, **pages_only.summary()},
        "server_pss_mb": round(memory_after, 1) if memory_after else None,
        "errors": sum(level.summary()["errors"] for level in levels) + pages_only.summary()["errors"],
        "p95_ms": highest["p95_ms"],
        "search_p95_ms": levels[-1].summary("search")["p95_ms"],
        "page_rps": pages_only.summary()["rps"],
        "page_cpu_ms": pages_only.summary().get("server_cpu_ms_per_request"),
        "load_average": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
