"""Production refuses to start with a secret key anyone could know: empty,
shorter than 50 characters, or the example value of .env.example. One line
says what to set; there is no traceback."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PROJECT_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
BAD_KEYS = {
    "empty": "",
    "example": settings.EXAMPLE_SECRET_KEY,
    "short": secrets.token_urlsafe(50)[:49],
}


def production(key: str, **variables) -> dict[str, str]:
    loose = {"DEBUG", "ALLOW_INSECURE_DEV_KEY", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {name: value for name, value in os.environ.items() if name not in loose}
    env.update({"DEBUG": "0", "SECURE_HTTPS": "0", "SECRET_KEY": key, **variables})
    if not key:
        del env["SECRET_KEY"]
    return env


def test_the_example_value_is_the_one_env_example_ships():
    lines = (PROJECT_DIR / ".env.example").read_text().splitlines()
    assert f"SECRET_KEY={settings.EXAMPLE_SECRET_KEY}" in lines


@pytest.mark.parametrize("preload", ["1", "0"])
@pytest.mark.parametrize("kind", sorted(BAD_KEYS))
def test_gunicorn_refuses_a_weak_key_with_one_line(kind, preload):
    env = production(BAD_KEYS[kind], GUNICORN_PRELOAD=preload, GUNICORN_ACCESS_LOG="")
    result = subprocess.run(
        [str(GUNICORN), "config.wsgi", "--config", "gunicorn.conf.py", "--bind", "127.0.0.1:8409", "--workers", "1"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 78, result.stderr
    assert "Traceback" not in result.stderr
    refusals = [line for line in result.stderr.splitlines() if line.startswith("refusing to start: SECRET_KEY")]
    assert len(refusals) == 1, result.stderr
    assert "Booting worker" not in result.stderr


@pytest.mark.parametrize("kind", sorted(BAD_KEYS))
def test_manage_check_refuses_a_weak_key(kind):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_DIR,
        env=production(BAD_KEYS[kind]),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "archive.E001" in result.stderr and "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def load_wsgi(env):
    return subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_long_random_key_starts():
    result = load_wsgi(production(secrets.token_urlsafe(50)))
    assert result.returncode == 0, result.stderr


def test_development_flags_still_start_without_a_key():
    # make run and make test: DEBUG=0 ALLOW_INSECURE_DEV_KEY=1, no SECRET_KEY.
    assert load_wsgi(production("", ALLOW_INSECURE_DEV_KEY="1")).returncode == 0
    assert load_wsgi(production("", DEBUG="1")).returncode == 0
