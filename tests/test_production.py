"""Production setup: secure settings, /healthz, static files, gunicorn, the
container's entrypoint and the compose file.

The images are built and the stack run for real by `make test-compose`
(docker/test-compose, run by CI after the suites). Here, without a Docker
engine, the container is tested in its parts: the compose file against the
Compose specification's JSON schema (vendored in tests/data/compose-spec.json
from the compose-spec project), the Dockerfile's instructions, and
docker/entrypoint.sh run for real outside Docker against a throwaway database
(SQLite, or PostgreSQL when the suite runs on it).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from haystack import connections

from tests.conftest import PROJECT_DIR, SAMPLE_FILES

PYTHON = sys.executable
PRODUCTION_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
ENTRYPOINT = PROJECT_DIR / "docker" / "entrypoint.sh"
# What a developer's shell may carry that production would not have.
LOOSE_VARIABLES = (
    "DEBUG",
    "ALLOW_INSECURE_DEV_KEY",
    "SECURE_HTTPS",
    "SECURE_SSL_REDIRECT",
    "DATABASE_URL",
    # Set while the browser tests' Playwright loop runs; never in production.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def base_environment(**variables) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in LOOSE_VARIABLES}
    env.update(variables)
    return env


def production_environment(**variables) -> dict[str, str]:
    """Only the four variables production must set."""
    required = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "archive.example.org",
        "DATABASE_URL": "postgres://archive:secret@localhost:5432/archive",
    }
    return base_environment(**{**required, **variables})


def manage(*arguments, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *arguments], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120
    )


# --- settings -------------------------------------------------------------


def test_deploy_check_passes_with_only_the_required_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_rejects_the_placeholder_secret_key():
    # The value .env.example ships: short and guessable, so the check must fail.
    env = production_environment(SECRET_KEY="change-me-to-a-long-random-string")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_settings_are_secure_by_default():
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS,"
        "'hsts_subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'session_secure': s.SESSION_COOKIE_SECURE,"
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'proxy_header': s.SECURE_PROXY_SSL_HEADER,"
        "'nosniff': s.SECURE_CONTENT_TYPE_NOSNIFF, 'referrer': s.SECURE_REFERRER_POLICY,"
        "'engine': s.DATABASES['default']['ENGINE'], 'options': s.DATABASES['default'].get('OPTIONS', {}),"
        "'static': s.STORAGES['staticfiles']['BACKEND'], 'csp': 'csp.middleware.CSPMiddleware' in s.MIDDLEWARE}))"
    )
    result = manage("shell", "-c", script, env=production_environment())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["debug"] is False
    assert values["redirect"] is True
    assert values["hsts"] >= 31536000 and values["hsts_subdomains"] is True
    assert values["session_secure"] is True and values["csrf_secure"] is True
    assert values["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["nosniff"] is True and values["referrer"] == "same-origin"
    assert values["csp"] is True
    assert values["engine"] == "django.db.backends.postgresql"
    # SQLite's connection options must not leak into another backend.
    assert "init_command" not in values["options"] and "transaction_mode" not in values["options"]
    assert values["static"] == PRODUCTION_STATIC_STORAGE


def test_missing_secret_key_in_production_fails_fast_with_a_clear_message():
    env = production_environment()
    del env["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert ".env.example" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_mode_runs_without_a_secret_key():
    env = base_environment(DEBUG="1")
    env.pop("SECRET_KEY", None)
    result = manage("check", env=env)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def https_settings(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


@pytest.mark.django_db
def test_plain_http_is_redirected_except_the_health_check(https_settings, clean_index):
    client = Client()
    response = client.get("/reporters/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/reporters/"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_proxy_saying_https_is_believed(https_settings, clean_index):
    response = Client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "max-age=31536000" in response["Strict-Transport-Security"]


@pytest.mark.django_db
def test_security_headers_on_https_responses(https_settings, clean_index):
    response = Client().get("/healthz", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


# --- /healthz -------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_database_and_search_ok(clean_index):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "search": "ok",
        "index_queue": {"length": 0, "oldest": None, "age_seconds": 0.0},
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_head_but_refuses_writes(clean_index):
    client = Client()
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.fixture
def missing_search_index(tmp_path):
    """Point haystack at a directory with no index in it, then back."""
    info = django_settings.HAYSTACK_CONNECTIONS["default"]
    previous = info["PATH"]
    info["PATH"] = str(tmp_path / "no-index-here")
    connections.reload("default")
    yield Path(info["PATH"])
    info["PATH"] = previous
    connections.reload("default")


@pytest.mark.django_db
def test_healthz_is_503_when_the_search_index_is_missing(missing_search_index):
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["search"].startswith("error:")
    assert "rebuild_index" in body["search"]
    # The check looks; it never creates an index behind ingest's back.
    assert not missing_search_index.exists()


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    script = (
        "from django.test import Client; r = Client().get('/healthz');"
        "import json; print(r.status_code, json.dumps(r.json()))"
    )
    env = base_environment(
        ALLOW_INSECURE_DEV_KEY="1",
        SECURE_HTTPS="0",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'missing-directory' / 'archive.sqlite3'}",
        SEARCH_INDEX_PATH=str(tmp_path / "index"),
    )
    result = manage("shell", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body)["database"].startswith("error: database unreachable")


# --- static files ---------------------------------------------------------


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    env = base_environment(DEBUG="0", ALLOW_INSECURE_DEV_KEY="1", SECURE_HTTPS="0", STATIC_ROOT=str(root))
    result = manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    assert result.returncode == 0, result.stderr
    return root


def test_collectstatic_writes_hashed_and_compressed_files(collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed)
    assert (collected_static / hashed).is_file()
    assert (collected_static / f"{hashed}.gz").is_file()
    assert (collected_static / f"{hashed}.br").is_file()


@pytest.mark.django_db
def test_pages_reference_and_serve_the_hashed_files(collected_static, settings, clean_index):
    # Production's storage (other tests serve static files unhashed).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STATIC_STORAGE}}
    settings.STATIC_ROOT = collected_static
    # A page cached by an earlier test names files the unhashed way.
    cache.clear()
    hashed = json.loads((collected_static / "staticfiles.json").read_text())["paths"]["css/site.css"]
    client = Client()
    page = client.get("/reporters/")
    assert page.status_code == 200
    assert f'href="/static/{hashed}"' in page.content.decode()

    response = client.get(f"/static/{hashed}", headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    b"".join(response.streaming_content)
    response.close()


# --- the container's entrypoint, outside Docker ---------------------------


@pytest.fixture
def throwaway_database(tmp_path):
    """A database no test uses: a new one on the PostgreSQL server the suite
    runs on, otherwise a SQLite file. Yields (url, count_rows)."""
    engine = django_settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        path = tmp_path / "archive.sqlite3"

        def count_rows(table):
            with sqlite3.connect(path) as connection:
                return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

        yield f"sqlite:///{path}", count_rows
        return

    import psycopg

    server = django_settings.DATABASES["default"]
    name = f"entrypoint_{uuid.uuid4().hex[:12]}"
    params = {
        "host": server["HOST"] or None,
        "port": server["PORT"] or None,
        "user": server["USER"],
        "password": server["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{server['PASSWORD']}" if server["PASSWORD"] else ""
    url = f"postgres://{server['USER']}{password}@{server['HOST']}:{server['PORT']}/{name}"

    def count_rows(table):
        with psycopg.connect(dbname=name, **params) as connection:
            return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    yield url, count_rows
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def entrypoint_environment(tmp_path, database_url, **variables):
    defaults = {
        "PYTHON": PYTHON,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_PATH": str(tmp_path / "search-index"),
        "DATABASE_WAIT_SECONDS": "10",
    }
    return base_environment(**{**defaults, **variables})


def run_entrypoint(*command, env, timeout=180):
    return subprocess.run(
        [str(ENTRYPOINT), *command], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )


def index_document_count(path: Path) -> int:
    from whoosh import index

    with index.open_dir(str(path)).searcher() as searcher:
        return searcher.doc_count()


def test_entrypoint_migrates_ingests_and_execs_the_command(tmp_path, throwaway_database):
    database_url, count_rows = throwaway_database
    issues = tmp_path / "issues"
    issues.mkdir()
    for sample in SAMPLE_FILES:
        shutil.copy(sample, issues / sample.name)
    marker = tmp_path / "command-ran"
    env = entrypoint_environment(tmp_path, database_url, INGEST_ON_START=str(issues))

    result = run_entrypoint("touch", str(marker), env=env)
    assert result.returncode == 0, result.stderr
    assert marker.exists(), "the command after the start-up steps did not run"
    assert count_rows("archive_issue") == len(SAMPLE_FILES)
    articles = count_rows("archive_article")
    assert articles > 0
    assert index_document_count(tmp_path / "search-index") == articles
    assert "applying migrations" in result.stderr

    # A restart: nothing is ingested twice, the index is kept.
    marker.unlink()
    again = run_entrypoint("touch", str(marker), env=env)
    assert again.returncode == 0, again.stderr
    assert marker.exists()
    assert f"0 ingested, {len(SAMPLE_FILES)} unchanged" in again.stdout
    assert "rebuilding" not in again.stderr
    assert count_rows("archive_issue") == len(SAMPLE_FILES)
    assert index_document_count(tmp_path / "search-index") == articles


def test_entrypoint_rebuilds_a_lost_search_index(tmp_path, throwaway_database):
    database_url, count_rows = throwaway_database
    env = entrypoint_environment(tmp_path, database_url, INGEST_ON_START=str(SAMPLE_FILES[0]))
    assert run_entrypoint("true", env=env).returncode == 0
    articles = count_rows("archive_article")
    assert articles > 0
    # The index volume is lost (or a new node starts with an empty one).
    index_path = tmp_path / "search-index"
    shutil.rmtree(index_path.resolve())
    index_path.unlink(missing_ok=True)

    result = run_entrypoint("true", env=env)
    assert result.returncode == 0, result.stderr
    assert "rebuilding" in result.stderr
    assert index_document_count(index_path) == articles


def test_entrypoint_refuses_to_start_without_a_secret_key(tmp_path):
    env = entrypoint_environment(tmp_path, f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    del env["SECRET_KEY"]
    marker = tmp_path / "command-ran"
    result = run_entrypoint("touch", str(marker), env=env)
    assert result.returncode == 78
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert not marker.exists()
    assert not (tmp_path / "archive.sqlite3").exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_entrypoint_gives_up_on_an_unreachable_database(tmp_path):
    url = f"postgres://archive:secret@127.0.0.1:{free_port()}/archive"
    env = entrypoint_environment(tmp_path, url, DATABASE_WAIT_SECONDS="1")
    marker = tmp_path / "command-ran"
    result = run_entrypoint("touch", str(marker), env=env)
    assert result.returncode != 0
    assert "database not reachable after 1 s" in result.stderr
    assert "Traceback" not in result.stderr
    assert not marker.exists()


# --- gunicorn -------------------------------------------------------------


def test_gunicorn_preloads_the_dictionary_once_and_serves_healthz(tmp_path, throwaway_database):
    """The repo's gunicorn.conf.py, started through the entrypoint: the
    workers find the search tokenizer's jieba dictionary already loaded by
    the master (loaded once, shared by fork)."""
    database_url, _count_rows = throwaway_database
    reports = tmp_path / "workers"
    reports.mkdir()
    config = tmp_path / "gunicorn_test.conf.py"
    # The repo's config plus two hooks that report what each process holds.
    config.write_text(
        f"exec(open({str(PROJECT_DIR / 'gunicorn.conf.py')!r}).read())\n"
        "import os\n"
        f"REPORTS = {str(reports)!r}\n"
        "def report(name, text):\n"
        "    with open(os.path.join(REPORTS, name), 'w') as handle:\n"
        "        handle.write(text)\n"
        "repo_when_ready = when_ready\n"
        "def when_ready(server):\n"
        "    from archive.search.dictionary import segmenter\n"
        "    report('master', f'{os.getpid()} {segmenter.cache_info().currsize == 1}')\n"
        "    repo_when_ready(server)\n"
        "def post_worker_init(worker):\n"
        "    from archive.search.dictionary import segmenter\n"
        "    report(f'worker-{os.getpid()}', f'{os.getppid()} {segmenter.cache_info().currsize == 1}')\n"
    )
    port = free_port()
    env = entrypoint_environment(
        tmp_path,
        database_url,
        SECURE_HTTPS="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESS_LOG="",
    )
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(ENTRYPOINT), gunicorn, "config.wsgi", "--config", str(config)],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        body, deadline = None, time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    body = json.loads(response.read())
                    if len(list(reports.glob("worker-*"))) >= 2:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.3)
        assert body is not None and (body["database"], body["search"]) == ("ok", "ok"), (
            tmp_path / "gunicorn.log"
        ).read_text()[-3000:]
        # Nothing to ingest, yet the entrypoint left an (empty) index to search.
        assert index_document_count(tmp_path / "search-index") == 0
        # The entrypoint exec'd gunicorn, so its pid is the master's, and the
        # dictionary was loaded there before the workers were forked.
        assert (reports / "master").read_text() == f"{process.pid} True"
        workers = [path.read_text().split() for path in reports.glob("worker-*")]
        assert len(workers) == 2
        for parent, loaded in workers:
            assert int(parent) == process.pid
            assert loaded == "True"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


# --- Docker files ---------------------------------------------------------

COMPOSE_FILE = PROJECT_DIR / "docker-compose.yml"
COMPOSE_SCHEMA = PROJECT_DIR / "tests" / "data" / "compose-spec.json"


def compose_validator():
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    # The schema declares draft 2019-09 (under a $schema spelling jsonschema
    # does not recognise, hence explicit).
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(schema)


def test_compose_file_follows_the_compose_specification():
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    errors = sorted(compose_validator().iter_errors(compose), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors)


def test_the_schema_check_would_catch_a_mistake():
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    compose["services"]["web"]["helthcheck"] = compose["services"]["web"].pop("healthcheck")
    assert not compose_validator().is_valid(compose)


def interpolated(value, variables=None):
    """A compose value as compose reads it: ${NAME:-default} replaced."""
    return re.sub(r"\$\{([A-Z0-9_]+):-([^}]*)\}", lambda m: (variables or {}).get(m.group(1)) or m.group(2), value)


def test_compose_services_volumes_and_environment():
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    web, db = compose["services"]["web"], compose["services"]["db"]
    assert interpolated(web["env_file"]) == ".env" and interpolated(db["env_file"]) == ".env"
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    # The official images by default; others (stand-ins) by variable.
    assert interpolated(db["image"]) == "postgres:16"
    assert interpolated(db["image"], {"POSTGRES_IMAGE": "stand-in:15"}) == "stand-in:15"
    assert interpolated(web["build"]["args"]["PYTHON_IMAGE"]) == "python:3.11-slim"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "healthcheck.py" in " ".join(web["healthcheck"]["test"])

    named = set(compose["volumes"])
    db_volume = next(v.split(":")[0] for v in db["volumes"] if v.endswith("/var/lib/postgresql/data"))
    index_volume, index_path = next(v.split(":")[:2] for v in web["volumes"] if "search-index" in v)
    assert db_volume in named and index_volume in named
    assert web["environment"]["SEARCH_INDEX_PATH"] == index_path


def test_every_variable_the_deployment_reads_is_in_env_example():
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (PROJECT_DIR / ".env.example").read_text(), re.M))
    sources = {
        "config/settings.py": r"""(?:environ\.get|env_bool|env_list|env_int)\(\s*["']([A-Z][A-Z0-9_]+)["']""",
        "gunicorn.conf.py": r"""(?:environ\.get|env_int)\(\s*["']([A-Z][A-Z0-9_]+)["']""",
        "docker-compose.yml": r"\$\{([A-Z][A-Z0-9_]+)",
        "docker/entrypoint.sh": r"\$\{([A-Z][A-Z0-9_]+)",
    }
    # Variables of the tooling itself rather than of a deployment.
    not_settings = {"PYTHON", "DJANGO_SETTINGS_MODULE"}
    used = set()
    for name, pattern in sources.items():
        used |= set(re.findall(pattern, (PROJECT_DIR / name).read_text()))
    assert used, "the patterns found no variable at all"
    assert sorted(used - documented - not_settings) == []


def dockerfile_instructions():
    text = (PROJECT_DIR / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [tuple(line.split(None, 1)) for line in lines]


def test_dockerfile_installs_pinned_requirements_and_runs_unprivileged():
    instructions = dockerfile_instructions()
    keywords = [keyword.upper() for keyword, _ in instructions]
    # The base image is a build argument, the official image by default.
    assert instructions[0] == ("ARG", "PYTHON_IMAGE=python:3.11-slim")
    assert [argument.split()[0] for keyword, argument in instructions if keyword == "FROM"] == ["${PYTHON_IMAGE}"] * 2
    runs = [argument for keyword, argument in instructions if keyword == "RUN"]
    assert any("pip install --requirement /tmp/requirements.txt" in run for run in runs)
    assert any("collectstatic" in run for run in runs)
    # Whatever calls django.setup() at build time names the settings: no base
    # image sets DJANGO_SETTINGS_MODULE (the build once failed for lack of it).
    assert all("DJANGO_SETTINGS_MODULE=config.settings" in run for run in runs if "django.setup()" in run)
    # Dependencies are installed before the code is copied, so they stay cached.
    copy_all = next(
        i for i, (keyword, argument) in enumerate(instructions) if keyword == "COPY" and " . ." in f" {argument}"
    )
    install = next(i for i, (keyword, argument) in enumerate(instructions) if "pip install" in argument)
    assert install < copy_all

    # The extra CA bundle is an argument of the dependencies stage only: the
    # final stage takes nothing from that stage but the virtualenv.
    final = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    assert ("ARG", 'EXTRA_CA_CERTS=""') in instructions[:final]
    assert not any("EXTRA_CA_CERTS" in argument for _, argument in instructions[final:])
    copied = [argument for keyword, argument in instructions[final:] if keyword == "COPY" and "--from" in argument]
    assert copied == ["--from=dependencies /opt/archive /opt/archive"]

    users = [argument for keyword, argument in instructions if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert keywords.index("USER") < keywords.index("ENTRYPOINT")
    entrypoint = json.loads(dict(instructions)["ENTRYPOINT"])
    assert entrypoint == ["docker/entrypoint.sh"]
    assert os.access(PROJECT_DIR / entrypoint[0], os.X_OK)


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = {line.strip() for line in (PROJECT_DIR / ".dockerignore").read_text().splitlines()}
    assert {".env", ".venv", "var", ".git"} <= ignored
    # Everything the image builds from is present in the repo.
    for needed in ("requirements.txt", "manage.py", "gunicorn.conf.py", "docker/entrypoint.sh", "docker/prepare.py"):
        assert (PROJECT_DIR / needed).is_file()


def test_compose_profile_opensearch_adds_a_pinned_server_on_a_named_volume():
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    server, web = compose["services"]["opensearch"], compose["services"]["web"]
    assert server["profiles"] == ["opensearch"]
    image, tag = server["image"].rsplit(":", 1)
    assert image == "opensearchproject/opensearch" and re.fullmatch(r"\d+\.\d+\.\d+", tag)
    data_volume = next(v.split(":")[0] for v in server["volumes"] if v.endswith("/usr/share/opensearch/data"))
    assert data_volume in compose["volumes"]
    assert server["environment"]["discovery.type"] == "single-node"
    # The web service finds it by its service name unless .env names another cluster.
    assert web["environment"]["SEARCH_URL"] == "${SEARCH_URL:-http://opensearch:9200}"
    assert web["environment"]["SEARCH_ENGINE"] == "${SEARCH_ENGINE:-whoosh}"


def test_clearing_the_index_keeps_its_directory(clean_index):
    """The container's index directory is a volume's mount point, which cannot
    be removed: clearing empties it in place and leaves an index that opens."""
    from archive.health import check_search

    if os.path.islink(clean_index):
        # A rebuild earlier in this worker left the path a symlink to its
        # generation; a mount point is a plain directory, as at the start.
        os.unlink(clean_index)
        os.mkdir(clean_index)
        connections.reload("default")
    before = os.stat(clean_index).st_ino
    (Path(clean_index) / "stray-file").write_text("left by nobody")
    connections["default"].get_backend().clear()
    assert os.stat(clean_index).st_ino == before
    assert not (Path(clean_index) / "stray-file").exists()
    check_search()
