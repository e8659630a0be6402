"""Shared fixtures: a real SQLite database (pytest-django) and a real search
index, with the sample issues ingested on demand.

The index is Whoosh's, in a temporary directory. A test module that asks for
the ``search_engine`` fixture with other values (the ``tests/test_search_*.py``
contract modules run on every engine) gets an OpenSearch-compatible server too: ``osmem-server``,
started once for the run and stopped at its end, or the cluster at
``SEARCH_TEST_URL`` when that is set (each run uses an index name of its own
there and deletes it afterwards)."""

from __future__ import annotations

import os
import secrets
import shutil

import pytest
from django.conf import settings
from django.test import override_settings
from haystack import connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from config import settings as settings_module
from tests.factories import PROJECT_DIR, SAMPLE_FILES  # noqa: F401 (tests import PROJECT_DIR from here)

# Randomised tests: a fast profile for every run, a long one for a nightly
# run (HYPOTHESIS_PROFILE=nightly; see tests/test_search_differential.py).
# Fixtures are set up once per test, not per example (each example of the
# differential tests builds its own index), and an example is a whole index
# history: large and slow by Hypothesis's measures, on purpose.
_LARGE_EXAMPLES = [HealthCheck.function_scoped_fixture, HealthCheck.large_base_example, HealthCheck.too_slow]
hypothesis_settings.register_profile("fast", max_examples=4, deadline=None, suppress_health_check=_LARGE_EXAMPLES)
hypothesis_settings.register_profile("nightly", max_examples=300, deadline=None, suppress_health_check=_LARGE_EXAMPLES)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

# Browser fixtures live in their own module, registered once for the run.
pytest_plugins = ["tests.browser"]

LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture(scope="session", autouse=True)
def search_index_dir(tmp_path_factory, own_writable_paths):
    """Point haystack at a fresh Whoosh directory for the whole test run."""
    path = tmp_path_factory.mktemp("whoosh_index")
    settings.SEARCH_INDEX_PATH = path
    settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = str(path)
    connections.reload("default")
    return path


@pytest.fixture(scope="session")
def opensearch_url():
    """The address of an OpenSearch-compatible server for this run."""
    url = os.environ.get("SEARCH_TEST_URL")
    if url:
        yield url
        return
    from osmem_server import OsmemServer

    # No Japanese analysis: the archive sends words already cut.
    server = OsmemServer.start(japanese=False)
    try:
        yield server.url
    finally:
        server.close()


@pytest.fixture(scope="session")
def opensearch_index_name(opensearch_url):
    """This run's alias: a real cluster may hold other indices. Whatever the
    run left behind it is deleted at the end."""
    name = f"archive-test-{secrets.token_hex(4)}"
    yield name
    import elasticsearch

    elasticsearch.Elasticsearch(opensearch_url).indices.delete(index=f"{name}-*", ignore=404)


SEARCH_ENGINES = ["whoosh", "opensearch"]


def pytest_generate_tests(metafunc):
    # A module marked every_search_engine runs each of its tests that use
    # the index once per engine.
    if "search_engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker("every_search_engine"):
        metafunc.parametrize("search_engine", SEARCH_ENGINES, indirect=True)


@pytest.fixture
def search_engine(request):
    """The engine the index fixtures use: Whoosh, or each engine in turn in
    a module marked ``every_search_engine`` (tests/test_search_queries.py, …)."""
    return getattr(request, "param", "whoosh")


def use_search_engine(engine: str, request) -> None:
    """Point haystack's default connection at ``engine`` until the test ends."""
    conf = settings.HAYSTACK_CONNECTIONS["default"]
    saved = dict(conf)
    if engine == "opensearch":
        url = request.getfixturevalue("opensearch_url")
        name = request.getfixturevalue("opensearch_index_name")
        replacement = settings_module.search_connection("opensearch", url=url, index_name=name)
    else:
        replacement = {**settings_module.search_connection("whoosh"), "PATH": saved.get("PATH")}
    if engine != "whoosh" or saved.get("ENGINE") != replacement["ENGINE"]:
        conf.clear()
        conf.update(replacement)
        connections.reload("default")

        def restore():
            conf.clear()
            conf.update(saved)
            connections.reload("default")

        request.addfinalizer(restore)


# The site's writable paths (settings read them from these variables). Each
# run, and under pytest-xdist each worker, gets its own, for itself and for the
# processes its tests start: none may share the worktree's var/.
WRITABLE_PATHS = {
    "SEARCH_INDEX_PATH": "search_index",
    "CACHE_LOCATION": "file_cache",
    "CACHE_GENERATION_FILE": "cache_generation",
    "STATIC_ROOT": "static_root",
}


@pytest.fixture(scope="session", autouse=True)
def own_writable_paths(tmp_path_factory):
    """Point the writable paths of this process and of every process a test
    starts (which inherit the environment) at this worker's temporary
    directory; a test may still name paths of its own."""
    root = tmp_path_factory.mktemp("var")
    saved = {name: os.environ.get(name) for name in WRITABLE_PATHS}
    for name, leaf in WRITABLE_PATHS.items():
        os.environ[name] = str(root / leaf)
    settings.CACHE_GENERATION_FILE = root / WRITABLE_PATHS["CACHE_GENERATION_FILE"]
    yield root
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


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
def clean_index(search_index_dir, search_engine, request):
    """An empty search index for one test, on the test's engine."""
    use_search_engine(search_engine, request)
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
def samples(ingested_samples):
    """The sample issues, ingested and indexed (the page and admin tests'
    name for them), with nothing their ingest cached."""
    from django.core.cache import cache

    cache.clear()
    return ingested_samples


@pytest.fixture
def sample_copy(tmp_path):
    """Copies of the sample issues that a test may alter."""

    def copy(name_index=0):
        source = SAMPLE_FILES[name_index]
        target = tmp_path / source.name
        shutil.copy(source, target)
        return target

    return copy


# --- the editors' admin -------------------------------------------------------
# An editor's session through the test client. ``admin_client`` replaces
# pytest-django's fixture of that name: the archive's superuser is "chief",
# with a password that passes the archive's password rules.


@pytest.fixture
def superuser(db):
    from django.contrib.auth.models import User

    from tests.admin_pages import PASSWORD

    return User.objects.create_superuser("chief", "chief@example.org", PASSWORD)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def editor(db):
    """A staff member in the editor group, with exactly its permissions."""
    from django.contrib.auth.models import Group, User

    from archive import editing
    from tests.admin_pages import PASSWORD

    editing.ensure_editor_group()
    user = User.objects.create_user("editor", "editor@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=editing.EDITOR_GROUP))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the code defers to after commit (re-indexing, cache bump) as
    production would; the test's own transaction never commits."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run
