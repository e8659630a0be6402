"""Hostile query parameters against every route; prints the answers by status.

Every public route (pages, feeds, sitemap, API, admin login, a missing page)
is asked with every parameter the site reads, each set in turn to every
hostile value below, then with random mixes of several. The requests go
through Django's test client into the archive's own database (``make setup``
fills it with the samples), so a 500 is counted exactly, with the request
that caused it. The count of 500s must be 0.

    DEBUG=0 ALLOW_INSECURE_DEV_KEY=1 SECURE_HTTPS=0 .venv/bin/python bench/fuzz_requests.py [--mixes 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Pages link their CSS by name, without collectstatic's hashed manifest.
os.environ.setdefault("STATIC_MANIFEST", "0")

import django

django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from archive import params  # noqa: E402
from archive.models import Article, Issue, Reporter, Topic  # noqa: E402

# The admin's page number ("p") rides along on the public routes too.
PARAMETERS = [*params.QUERY_PARAMETERS, "p"]

# The admin's own parameters, asked on its lists as a signed-in superuser.
ADMIN_PARAMETERS = [
    "p",
    "o",
    "q",
    "e",
    "all",
    "doubts",
    "issue__publication_date__year",
    "issue__publication_date__month",
    "issue__publication_date__day",
    "publication_date__year",
    "date_inferred__exact",
    "_popup",
    "_to_field",
]

HOSTILE = [
    "²",
    "③",
    "①",
    "１２",
    "٣",
    "1²",
    "0",
    "-1",
    "99999999999999999999",
    "1e3",
    "NaN",
    "",
    "0001-01-01",
    "0002-12-31",
    "9999-12-31",
    "2024-02-30",
    "2023-99-01",
    "２０２４-01-12",
    "+2024-01-01",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "\ud7ff\ue000",
    "%",
    "*",
    '"',
    "AND OR",
    "养" * 5000,
    "a" * 100_000,
]


def routes():
    issue = Issue.objects.order_by("publication_date").first()
    article = Article.objects.order_by("pk").first()
    reporter = Reporter.objects.order_by("pk").first()
    topic = Topic.objects.order_by("pk").first()
    if not (issue and article and reporter and topic):
        sys.exit("the archive is empty: run `make setup` (or manage.py ingest samples/) first")
    day = issue.publication_date
    named = {
        "home": ("archive:home", []),
        "issue_jump": ("archive:issue_jump", []),
        "issue_detail": ("archive:issue_detail", [day]),
        "issue_page": ("archive:issue_page", [day, 1]),
        "archive_index": ("archive:archive_index", []),
        "archive_year": ("archive:archive_year", [day.year]),
        "archive_month": ("archive:archive_month", [day.year, day.month]),
        "article_detail": ("archive:article_detail", [article.pk]),
        "article_reference": ("archive:article_reference", [article.pk, "ris"]),
        "reporter_list": ("archive:reporter_list", []),
        "reporter_detail": ("archive:reporter_detail", [reporter.slug]),
        "topic_list": ("archive:topic_list", []),
        "topic_detail": ("archive:topic_detail", [topic.slug]),
        "search": ("archive:search", []),
        "search_references": ("archive:search_references", ["bib"]),
        "feed_latest": ("archive:feed_latest", []),
        "feed_topic": ("archive:feed_topic", [topic.slug]),
        "feed_reporter": ("archive:feed_reporter", [reporter.slug]),
        "sitemap": ("archive:sitemap", []),
        "api_root": ("archive:api_root", []),
        "api_articles": ("archive:api_articles", []),
        "api_article": ("archive:api_article", [article.pk]),
        "api_issues": ("archive:api_issues", []),
        "api_issue": ("archive:api_issue", [day]),
        "api_reporters": ("archive:api_reporters", []),
        "api_reporter": ("archive:api_reporter", [reporter.slug]),
        "api_topics": ("archive:api_topics", []),
        "admin_login": ("admin:login", []),
    }
    found = {}
    for name, (url_name, args) in named.items():
        try:
            found[name] = reverse(url_name, args=args)
        except Exception:  # a route this checkout does not have
            continue
    found.update({"not_found": "/no-such-page/", "healthz": "/healthz"})
    return found


def admin_routes():
    article = Article.objects.order_by("pk").first()
    return {
        "admin_articles": reverse("admin:archive_article_changelist"),
        "admin_issues": reverse("admin:archive_issue_changelist"),
        "admin_reporters": reverse("admin:archive_reporter_changelist"),
        "admin_article": reverse("admin:archive_article_change", args=[article.pk]),
        "admin_article_history": reverse("admin:archive_article_history", args=[article.pk]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mixes", type=int, default=1000, help="random requests with several parameters")
    parser.add_argument("--seed", type=int, default=12)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    table = routes()
    requests = [(url, {name: value}) for url in table.values() for name in PARAMETERS for value in HOSTILE]
    for _ in range(arguments.mixes):
        names = rng.sample(PARAMETERS, rng.randint(2, 5))
        requests.append((rng.choice(list(table.values())), {name: rng.choice(HOSTILE) for name in names}))
    # A superuser made for the run and removed afterwards.
    from django.contrib.auth.models import User

    user = User.objects.create_superuser(f"fuzz-{os.getpid()}", password=None)
    admin = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    admin.force_login(user)
    admin_table = admin_routes()
    admin_requests = [
        (url, {name: value}) for url in admin_table.values() for name in ADMIN_PARAMETERS for value in HOSTILE
    ]
    statuses, failures = Counter(), []
    started = time.monotonic()
    try:
        for who, batch in ((client, requests), (admin, admin_requests)):
            for url, query in batch:
                status = who.get(url, query).status_code
                statuses[status] += 1
                if status >= 500:
                    failures.append((status, url, query))
    finally:
        user.delete()
    elapsed = time.monotonic() - started
    requests += admin_requests
    print(
        f"routes: {len(table)} public, {len(admin_table)} admin; parameters: {len(PARAMETERS)} public, "
        f"{len(ADMIN_PARAMETERS)} admin; hostile values: {len(HOSTILE)}"
    )
    print(f"requests: {len(requests)} in {elapsed:.0f} s ({len(requests) / elapsed:.0f}/s)")
    print("statuses: " + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items())))
    print(f"500s: {sum(count for status, count in statuses.items() if status >= 500)}")
    for status, url, query in failures[:20]:
        print(f"  {status} {url} {str(query)[:200]}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
