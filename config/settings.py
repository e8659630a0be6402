"""Settings for the newspaper archive.

Everything that differs between a laptop and production comes from the
environment; every variable read here is listed in ``.env.example``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# The placeholder .env.example ships (tests/test_production.py keeps the two in step).
EXAMPLE_SECRET_KEY = "change-me-to-a-long-random-string"
# Django's own deploy check asks for at least 50 characters.
SECRET_KEY_MIN_LENGTH = 50
ALLOW_INSECURE_DEV_KEY = env_bool("ALLOW_INSECURE_DEV_KEY", False)
if not SECRET_KEY and (DEBUG or ALLOW_INSECURE_DEV_KEY):
    # A throwaway key so a developer can run the site without setup; the
    # django-insecure- prefix makes `check --deploy` reject it.
    SECRET_KEY = "django-insecure-development-key-for-this-machine-only"


def secret_key_problem(key):
    """Why ``key`` must not sign production cookies, or "" if it may."""
    if not key:
        return "SECRET_KEY is not set: set it in the environment (see .env.example) or DEBUG=1"
    if key == EXAMPLE_SECRET_KEY:
        return "SECRET_KEY is the example value from .env.example: set a long random one"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"SECRET_KEY has {len(key)} characters, fewer than {SECRET_KEY_MIN_LENGTH}: set a long random one"
    return ""


# One line that says what to do; printed instead of starting (config/wsgi.py,
# archive/checks.py). Production only: DEBUG or ALLOW_INSECURE_DEV_KEY (what
# `make run` and `make test` set) accept any key. Command-line tools that never
# sign anything (parse_issue, ingest) still run.
SECRET_KEY_PROBLEM = "" if DEBUG or ALLOW_INSECURE_DEV_KEY else secret_key_problem(SECRET_KEY)
if SECRET_KEY_PROBLEM:
    SECRET_KEY_PROBLEM += " (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

NEWSPAPER_NAME = os.environ.get("NEWSPAPER_NAME", "呼和浩特日报")
# The public address (https://archive.example.org) when a proxy hides it;
# unset, absolute links are built from each request's own host and scheme.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Before haystack, so that archive's rebuild_index (build beside, then swap)
    # replaces haystack's; tests/test_commands.py holds it there.
    "archive",
    "haystack",
    "simple_history",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside the messages middleware, so it can tell the editor about the index.
    "archive.middleware.DrainIndexQueueMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A bad query parameter raised by a page becomes a 400 page with its message.
    "archive.params.BadParameterMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "archive.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'archive.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets gunicorn workers read while an ingest writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# Failures are counted per reader address and per account (username, tried
# from any address), each against its own limit (archive/login_limits.py).
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("AXES_ACCOUNT_FAILURE_LIMIT", "20"))
AXES_HANDLER = "archive.login_limits.AddressAndAccountHandler"
# The same page for every lock, naming no account: whether a username exists
# is not told.
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False
# How many reverse proxies of our own stand in front of gunicorn, each adding
# to X-Forwarded-For; 0 when clients connect directly.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "archive.client_address.client_address"

LANGUAGE_CODE = "zh-hans"
# Chinese for the parts of the admin whose libraries ship none (the login limit's pages).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("STATIC_MANIFEST", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Search: the embedded Whoosh directory (one machine), or an OpenSearch /
# Elasticsearch 7 cluster; text is cut with jieba in the archive either way
# (see archive/search/ and docs/search.md).
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "whoosh").strip().lower() or "whoosh"
SEARCH_INDEX_PATH = Path(os.environ.get("SEARCH_INDEX_PATH", BASE_DIR / "var" / "whoosh_index"))
JIEBA_CACHE_DIR = Path(os.environ.get("JIEBA_CACHE_DIR", BASE_DIR / "var" / "jieba"))
SEARCH_URL = os.environ.get("SEARCH_URL", "")
SEARCH_INDEX_NAME = os.environ.get("SEARCH_INDEX_NAME", "archive")


def search_connection(engine, *, url="", index_name="archive"):
    """haystack's connection settings for ``engine`` ("whoosh" or "opensearch")."""
    common = {
        # Errors must reach the caller; a swallowed error is a lost update.
        "SILENTLY_FAIL": False,
        "BATCH_SIZE": 500,
        # Spelling suggestions cost seconds per query on Whoosh.
        "INCLUDE_SPELLING": False,
    }
    if engine == "whoosh":
        return {
            **common,
            "ENGINE": "archive.search.whoosh_engine.ArchiveWhooshEngine",
            "PATH": str(SEARCH_INDEX_PATH),
            # Seconds a writer waits for another process's write lock before failing loudly.
            "WRITE_LOCK_TIMEOUT": float(os.environ.get("SEARCH_WRITE_LOCK_TIMEOUT", "120")),
        }
    if engine == "opensearch":
        if not url:
            raise ImproperlyConfigured("SEARCH_ENGINE=opensearch needs SEARCH_URL (e.g. http://localhost:9200)")
        client = {"verify_certs": env_bool("SEARCH_VERIFY_CERTS", True)}
        if os.environ.get("SEARCH_USERNAME"):
            client["http_auth"] = (os.environ["SEARCH_USERNAME"], os.environ.get("SEARCH_PASSWORD", ""))
        if os.environ.get("SEARCH_CA_CERTS"):
            client["ca_certs"] = os.environ["SEARCH_CA_CERTS"]
        return {
            **common,
            "ENGINE": "archive.search.opensearch.OpenSearchEngine",
            "URL": url,
            # An alias; each rebuild fills a new index behind it.
            "INDEX_NAME": index_name,
            "TIMEOUT": int(os.environ.get("SEARCH_TIMEOUT", "10")),
            "SHARDS": int(os.environ.get("SEARCH_SHARDS", "1")),
            "REPLICAS": int(os.environ.get("SEARCH_REPLICAS", "0")),
            "KWARGS": client,
        }
    raise ImproperlyConfigured(f"SEARCH_ENGINE={engine!r}: use whoosh or opensearch")


HAYSTACK_CONNECTIONS = {"default": search_connection(SEARCH_ENGINE, url=SEARCH_URL, index_name=SEARCH_INDEX_NAME)}
# Indexing happens explicitly in ingest and after admin saves, never per
# request through haystack's realtime signal processor.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# gunicorn's workers are separate processes: one page cache in files, shared
# by all of them and by the ingest command, instead of a local-memory cache
# that each worker fills on its own. Several machines share Redis instead.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "archive.caching.SharedFileCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", str(BASE_DIR / "var" / "cache")),
        "TIMEOUT": int(os.environ.get("CACHE_TIMEOUT", "600")),
    }
}

# Touched after every ingest or editor's save, so that every worker process
# sees that cached pages are stale even with a cache of its own (local memory).
CACHE_GENERATION_FILE = Path(os.environ.get("CACHE_GENERATION_FILE", BASE_DIR / "var" / "cache-generation"))

# Limits of what one issue file may hold, from real text with a wide margin.
# A file over them is refused with one line naming the limit; nothing of it is
# stored (archive/issue_files.py, archive/ingest.py).
# - The longest real article measured: 5,996 characters, Molotov's statement
#   on the Paris conference printed by the People's Daily on 1946-06-02
#   (exposir/people, 1946年06月/1946-06-02_莫洛托夫关于巴黎外长会议的总结声明.md);
#   the 167 real articles of tests/data/real/ are at most 695 characters, the
#   samples' at most a few hundred. Reports printed in full run to tens of
#   thousands of characters, hence the margin: 20 x 5,996, rounded up.
INGEST_MAX_ARTICLE_CHARS = int(os.environ.get("INGEST_MAX_ARTICLE_CHARS", "120000"))
# - The longest real paragraph: 672 characters (tests/data/real/heldout/
#   rmrb_1948-03-24_p1, from exposir/people); dumps print a paragraph on one
#   line, and some an article's text without a break, so one line may hold a
#   paragraph: 30 x 672, rounded up, for both.
INGEST_MAX_PARAGRAPH_CHARS = int(os.environ.get("INGEST_MAX_PARAGRAPH_CHARS", "20000"))
INGEST_MAX_LINE_CHARS = int(os.environ.get("INGEST_MAX_LINE_CHARS", "20000"))
# - The largest real issue file here is 18 KB (samples/); a whole 24-page
#   daily is about 1 MB of UTF-8. Four times that keeps the parser's memory
#   bounded (docs/reliability.md gives the measured peak).
INGEST_MAX_BYTES = int(os.environ.get("INGEST_MAX_BYTES", str(4 * 1024 * 1024)))

# Security. Production settings are the default; DEBUG relaxes only what a
# local http:// site cannot satisfy.
SECURE_HTTPS = env_bool("SECURE_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
# No script of the site reads the CSRF cookie: the admin's forms carry the
# token in a hidden field, and the public pages post nothing.
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The search client logs every request at INFO; its warnings and errors still show.
    "loggers": {"jieba": {"level": "WARNING"}, "elasticsearch": {"level": "WARNING"}},
}
