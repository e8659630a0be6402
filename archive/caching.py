"""The cache generation, cached aggregates, and the file cache the workers share.

Pages themselves are cached by :mod:`archive.pagecache` (the web layer).

Every cache key carries the archive's *generation*. Anything that changes
what a reader sees (an ingest, an editor's save in the admin) calls
:func:`bump_cache_generation` once after its transaction commits; from then on
every key is new and the old entries simply expire. There is no per-page
invalidation to get wrong and no signal receiver doing it behind the scenes.

The generation has two parts so that a bump is seen by every process:

* a counter in the cache backend itself — enough when the backend is shared
  (Redis, memcached, the database cache) between web servers;
* the modification time of a small marker file under ``var/`` — needed for
  the default per-process local-memory cache, where ``manage.py ingest`` runs
  in another process than the gunicorn workers and cannot reach their memory.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

logger = logging.getLogger(__name__)

GENERATION_KEY = "archive:generation"


def generation_file() -> Path:
    return Path(settings.CACHE_GENERATION_FILE)


def _file_stamp() -> int:
    try:
        return os.stat(generation_file()).st_mtime_ns
    except OSError:
        return 0


def _fresh_counter() -> int:
    # Random, not 1: after the cache is cleared or restarted the counter must
    # not repeat a value some process still remembers (see cached_value).
    return secrets.randbits(40)


def cache_generation() -> str:
    """The current generation, part of every page and aggregate cache key."""
    counter = cache.get(GENERATION_KEY)
    if counter is None:
        cache.add(GENERATION_KEY, _fresh_counter(), timeout=None)
        counter = cache.get(GENERATION_KEY, 0)
    return f"{counter}.{_file_stamp()}"


def bump_cache_generation() -> None:
    """Make every cached page and aggregate stale. Call after a commit that
    changes published content (ingest, re-parse, admin save or delete)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        # Missing (evicted or never set): any new value differs from the old.
        cache.set(GENERATION_KEY, _fresh_counter(), timeout=None)
    path = generation_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        # Two bumps within the file system's timestamp resolution must still differ.
        stamp = os.stat(path).st_mtime_ns
        os.utime(path, ns=(stamp, stamp + 1))
    except OSError:
        # A read-only var/ leaves the cache counter, which works for shared backends.
        pass


# Values this process already read or computed in the current generation.
# The cache backend unpickles a fresh copy on every read (milliseconds for an
# issue calendar of 10 000 days); kept here, a value costs a dict lookup.
# Keys carry the generation, so a bump makes them unreachable, and the memo is
# emptied whenever the generation moves on. Callers must not mutate values.
# Least recently used out: the values every page reads (the issue calendar,
# the titles, a topic's article ids) stay while readers walk through
# thousands of reporters, each with values of its own.
_memo: dict[str, object] = {}
_memo_generation = [""]
MEMO_SIZE = 1024


def cached_value(name: str, compute, timeout=None):
    """``compute()`` once per generation; ``name`` must identify the value.

    The returned value is shared: treat it as read-only."""
    generation = cache_generation()
    if _memo_generation[0] != generation:
        _memo.clear()
        _memo_generation[0] = generation
    key = f"archive:value:{generation}:{name}"
    value = _memo.pop(key, None)
    if value is not None:
        # Back to the end: the most recently used.
        _memo[key] = value
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    if len(_memo) >= MEMO_SIZE:
        # Oldest first out (dicts keep insertion order).
        del _memo[next(iter(_memo))]
    _memo[key] = value
    return value


class SharedFileCache(FileBasedCache):
    """Django's file cache, fit to be the page cache of several worker processes.

    gunicorn's workers are separate processes; with a local-memory cache each
    renders and keeps its own copy of every page and aggregate. Files under
    one directory are shared by all of them (and survive a worker's restart).
    Two changes to the stock backend:

    * it lists the whole directory to cull old entries only every
      ``CULL_EVERY`` writes, not on every write (thousands of cached pages
      made each write list thousands of files);
    * a read or write that fails (full disk, unusable directory) is logged
      or treated as a miss: a page that cannot be cached is still served.
    """

    CULL_EVERY = 200
    DEFAULT_MAX_ENTRIES = 50_000

    def __init__(self, dir, params):
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("MAX_ENTRIES", self.DEFAULT_MAX_ENTRIES)
        super().__init__(dir, {**params, "OPTIONS": options})
        self._writes = 0

    def _cull(self):
        self._writes += 1
        if self._writes % self.CULL_EVERY == 1:
            super()._cull()

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except OSError:
            return default

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except OSError:
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except OSError as exc:
            logger.warning("page cache not written (%s): %s", self._dir, exc)

    def _createdir(self):
        try:
            super()._createdir()
        except OSError as exc:
            logger.warning("page cache directory not usable (%s): %s", self._dir, exc)
