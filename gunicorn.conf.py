"""gunicorn settings for the archive (used by `make run`, the container and bench/load.py).

Every value can be overridden from the environment (GUNICORN_*), or on the
command line, which wins over this file.
"""

import gc
import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"

# Pages are rendered by CPU-bound Python: about two processes per core, plus
# one so a worker stuck on a slow search does not idle a core.
workers = env_int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "sync"
threads = env_int("GUNICORN_THREADS", 1)
# A request that takes longer than this is killed and logged; no page or
# search of the archive should come near it.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# Load Django, the URL map and the search tokenizer's jieba dictionary (tens
# of MB) once in the master; forked workers share those pages instead of each
# loading its own and paying for it on their first search.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# Heartbeat files on a RAM disk: a container's overlay filesystem can stall.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# "-" is standard output; empty turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client (or the proxy's X-Forwarded-For), request, status, bytes, duration,
# referer, user agent: enough to find slow pages and who asked for them.
access_log_format = '%(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'


# The index drainer: one process beside the workers applies the durable
# index queue (changes committed to the database, not yet in the search
# index): what an earlier run left at start, then large admin re-indexes as
# they are queued. INDEX_DRAINER=0 when another service runs
# `manage.py drain_index --follow` instead.
index_drainer = os.environ.get("INDEX_DRAINER", "1") != "0"
_drainer = None


def _die_with_parent():
    # Linux: the drainer gets SIGTERM if the master dies, even by SIGKILL.
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_index_drainer(server):
    global _drainer
    if not index_drainer or (_drainer is not None and _drainer.poll() is None):
        return
    manage = Path(__file__).resolve().parent / "manage.py"
    _drainer = subprocess.Popen(
        [sys.executable, str(manage), "drain_index", "--follow", "--parent", str(os.getpid())],
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    server.log.info("index drainer started (pid %s)", _drainer.pid)


def on_exit(server):
    if _drainer is not None and _drainer.poll() is None:
        _drainer.terminate()
        try:
            _drainer.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _drainer.kill()


def on_starting(server):
    """Refuse to start with a secret key production must not use, once, in the
    master: without --preload each worker would load the app, refuse and be
    replaced by another one, for ever (config/wsgi.py refuses with --preload)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    if settings.SECRET_KEY_PROBLEM:
        print(f"refusing to start: {settings.SECRET_KEY_PROBLEM}", file=sys.stderr)
        sys.exit(78)


def when_ready(server):
    """Runs in the master after the app is loaded and before any worker forks.

    Loading the app ran ``ArchiveConfig.ready()``, which loads the search
    tokenizer's jieba dictionary; every worker inherits it from here.
    """
    start_index_drainer(server)
    if not server.cfg.preload_app:
        return
    from django.db import connections

    # A connection opened while loading must not be shared by the forks.
    connections.close_all()
    # Keep the garbage collector from touching (and so copying) the shared
    # objects in every worker.
    gc.freeze()
