"""Playwright helpers shared by every page test that drives a real browser.

``tests/conftest.py`` registers this module as a plugin, so its fixtures
exist once per run (one Chromium for the whole session, however many test
modules use it); test modules import only the plain helpers and mark their
tests ``@pytest.mark.browser``. The browser is Debian's
Chromium (never a downloaded build); axe-core comes bundled inside the pinned
``axe-playwright-python`` package, so nothing is fetched at run time.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 375, "height": 812},
}
PROJECT_DIR = Path(__file__).resolve().parent.parent
SCREENSHOT_DIR = PROJECT_DIR / "test-artifacts" / "screenshots"
SERIOUS_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread;
    # Django would then refuse ORM calls made by fixtures in that same thread.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """One headless Chromium for the whole run."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"{CHROMIUM_PATH} is missing: install Debian's chromium package (apt-get install chromium)")
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


@pytest.fixture
def new_page(browser):
    """Factory: ``new_page("desktop")`` or ``new_page("phone")`` gives a fresh page
    in its own browser context (own cookies), closed after the test."""
    contexts = []

    def make(viewport: str = "desktop", **context_options):
        size = VIEWPORTS[viewport]
        options = {"viewport": size, "locale": "zh-CN"}
        if viewport == "phone":
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        options.update(context_options)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.viewport_name = viewport
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request, new_page):
    """A page at each viewport in turn: the test runs once for desktop, once for phone."""
    return new_page(request.param)


@pytest.fixture
def plain_static_storage(settings):
    """Serve static files without a collectstatic manifest, as the test server
    finds them in ``static/``."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def live_archive(live_server, clean_index, plain_static_storage):
    """The running site with the sample issues ingested; returns its base URL."""
    from django.core.cache import cache

    from archive import search
    from archive.ingest import ingest_file
    from tests.conftest import SAMPLE_FILES

    cache.clear()
    for path in SAMPLE_FILES:
        ingest_file(path)
    search.drain_queue()
    yield live_server.url
    cache.clear()


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG under test-artifacts/screenshots/ and return its path.

    The viewport name is appended so desktop and phone shots sit side by side.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    viewport = getattr(page, "viewport_name", None)
    stem = re.sub(r"[^\w.-]+", "-", name).strip("-") or "page"
    if viewport and not stem.endswith(viewport):
        stem = f"{stem}-{viewport}"
    path = SCREENSHOT_DIR / f"{stem}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page, impacts=SERIOUS_IMPACTS) -> list[dict]:
    """Run axe-core on the page; return the violations of the given impacts."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [violation for violation in results.response["violations"] if violation.get("impact") in impacts]


def assert_no_serious_axe_violations(page) -> None:
    violations = axe_violations(page)
    if violations:
        lines = [f"axe found serious accessibility violations on {page.url}:"]
        for violation in violations:
            targets = [" ".join(node["target"]) for node in violation["nodes"][:5]]
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
        pytest.fail("\n".join(lines))
