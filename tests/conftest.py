"""Shared fixtures: a real SQLite database (pytest-django) and a real Whoosh
index in a temporary directory, with the sample issues ingested on demand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from haystack import connections

# Browser fixtures live in their own module, registered once for the run.
pytest_plugins = ["tests.browser"]

PROJECT_DIR = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PROJECT_DIR / "samples"
SAMPLE_FILES = sorted(SAMPLES_DIR.glob("*.txt"))
LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture(scope="session", autouse=True)
def search_index_dir(tmp_path_factory):
    """Point haystack at a fresh Whoosh directory for the whole test run."""
    path = tmp_path_factory.mktemp("whoosh_index")
    settings.SEARCH_INDEX_PATH = path
    settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = str(path)
    connections.reload("default")
    return path


@pytest.fixture(scope="session", autouse=True)
def plain_static_files(tmp_path_factory):
    """Serve static files as they are: the hashed manifest is a deployment
    step (collectstatic), tested on its own in test_production."""
    settings.STATIC_ROOT = tmp_path_factory.mktemp("static_root")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session", autouse=True)
def process_page_cache():
    """Pages cached in this process's memory, so no test run reads or leaves
    cached pages in the site's shared file cache under var/."""
    default = {**settings.CACHES["default"], "BACKEND": LOCAL_MEMORY, "LOCATION": "tests"}
    override = override_settings(CACHES={**settings.CACHES, "default": default})
    override.enable()
    yield
    override.disable()


@pytest.fixture(autouse=True)
def empty_page_cache(process_page_cache):
    """Each test starts with nothing cached: its database is rolled back
    afterwards, but a cache would keep pages of it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def clean_index(search_index_dir):
    """An empty search index for one test."""
    backend = connections["default"].get_backend()
    backend.clear()
    connections.reload("default")
    yield search_index_dir
    connections["default"].get_backend().clear()
    connections.reload("default")


@pytest.fixture
def ingested_samples(db, clean_index):
    from archive import search
    from archive.ingest import ingest_file

    results = [ingest_file(path) for path in SAMPLE_FILES]
    search.drain_queue()
    return results


@pytest.fixture
def sample_copy(tmp_path):
    """Copies of the sample issues that a test may alter."""

    def copy(name_index=0):
        source = SAMPLE_FILES[name_index]
        target = tmp_path / source.name
        shutil.copy(source, target)
        return target

    return copy
