"""An editor's save while another worker process writes the search index:
the save waits for the index's write lock instead of failing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from haystack import connections
from whoosh.util.filelock import FcntlLock

from tests.admin_pages import edit_article, first_news_article, search_ids
from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.django_db


pytestmark = pytest.mark.django_db


# A second worker process holding the index's write lock until told to let go.
# It sets Django up as a worker would: the index's stored schema names the
# archive's own analyzers, which unpickling imports.
LOCK_HOLDER = """
import sys, django
django.setup()
from whoosh.filedb.filestore import FileStorage
writer = FileStorage(sys.argv[1]).open_index().writer()
print("locked", flush=True)
sys.stdin.readline()
writer.cancel()
print("released", flush=True)
"""


def test_a_save_waits_for_another_workers_index_write_instead_of_failing(admin_client, commit, samples, monkeypatch):
    """Another process (a second gunicorn worker) holds the Whoosh write lock
    while an editor saves: the save waits for it, then re-indexes; searches
    keep answering meanwhile. The other worker lets go only once the save has
    found the lock taken, so the test waits on that, not on a clock."""
    index_dir = os.path.realpath(connections["default"].get_backend().path)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, index_dir],
        cwd=PROJECT_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    save_found_the_lock_taken = threading.Event()
    acquire = FcntlLock.acquire

    def watched_acquire(lock, blocking=False):
        acquired = acquire(lock, blocking)
        if not acquired:
            save_found_the_lock_taken.set()
        return acquired

    def release_once_the_save_waits():
        save_found_the_lock_taken.wait(timeout=120)  # a safety net: the assertion below tells
        holder.stdin.write("release\n")
        holder.stdin.flush()

    releaser = threading.Thread(target=release_once_the_save_waits, daemon=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        article = first_news_article()
        assert article.pk in search_ids(article.headline)  # reading is not blocked by the lock
        monkeypatch.setattr(FcntlLock, "acquire", watched_acquire)
        releaser.start()
        response = edit_article(admin_client, commit, article, headline="另一进程写索引时保存的标题")
        monkeypatch.undo()
        assert save_found_the_lock_taken.is_set()  # the save met the other writer's lock…
        assert response.status_code == 302  # …waited, and went through once it was released
        assert holder.stdout.readline().strip() == "released"
    finally:
        if releaser.is_alive():
            save_found_the_lock_taken.set()
            releaser.join(timeout=30)
        elif not releaser.ident:
            holder.kill()
        holder.wait(timeout=60)
    assert holder.returncode == 0
    assert article.pk in search_ids("另一进程写索引时保存的标题")
