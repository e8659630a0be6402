"""Page rendering time on a large archive.

Builds (once, cached under var/bench/) the seeded synthetic archive of
``bench/synthetic.py`` (the one the search and load benchmarks use) with
``--articles`` articles, without a search index. Then renders
every public page through Django's test client and prints, per page, the
median and 95th percentile in milliseconds, the median CPU time (which,
unlike wall-clock time, does not depend on what else the machine runs) and
the number of queries, in three states:

* ``cold``  — the cache generation was just bumped (first request after an
  ingest): aggregates and page are computed from the database;
* ``miss``  — aggregates cached for this generation, page not cached (a URL
  nobody asked for since the last ingest);
* ``hit``   — the page served from the cache.

The last line is one JSON object with every figure and whether each page's
``miss`` and ``cold`` medians are within ``--target-ms``.

    .venv/bin/python bench/pages.py --articles 100000 [--repeat 15] [--rebuild]

No search index is built: the article page's "related" list then comes from
the search engine's database fill-up, as on a site whose index is empty.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_DIR / "var" / "bench"
sys.path.insert(0, str(PROJECT_DIR))


def database_path(articles: int, seed: int) -> Path:
    from bench.synthetic import GENERATOR_VERSION

    return BENCH_DIR / f"pages-{articles}-seed{seed}-v{GENERATOR_VERSION}.sqlite3"


def configure(database: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "ALLOW_INSECURE_DEV_KEY": "1",
            "SECURE_HTTPS": "0",
            "ALLOWED_HOSTS": "testserver",
            "STATIC_MANIFEST": "0",
            "DATABASE_URL": f"sqlite:///{database}",
            "SEARCH_INDEX_PATH": tempfile.mkdtemp(prefix="bench-pages-index-"),
            "LOG_LEVEL": "WARNING",
            "AXES_ENABLED": "0",
        }
    )
    import django

    django.setup()
    from django.conf import settings

    settings.CACHE_GENERATION_FILE = BENCH_DIR / "cache-generation"


def build(articles: int, seed: int) -> None:
    from django.db import connection

    from bench.synthetic import SyntheticArchive, populate

    started = time.perf_counter()
    populate(SyntheticArchive(seed=seed), articles, batch_issues=500, index=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {articles} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def page_urls(rng: random.Random) -> dict[str, list[str]]:
    """Several URLs per page kind, drawn across the archive (deep pages included)."""
    from django.db.models import Count
    from django.urls import reverse

    from archive.models import Article, Issue, Reporter, Topic

    issues = list(Issue.objects.order_by("?").values_list("paper__slug", "publication_date")[:10])
    articles = list(Article.objects.order_by("?").values_list("paper__slug", "pk")[:10])
    reporters = list(Reporter.objects.annotate(n=Count("bylines")).order_by("-n").values_list("slug", "n"))
    busiest, median, few = reporters[0][0], reporters[len(reporters) // 2][0], reporters[-1][0]
    topics = list(Topic.objects.values_list("slug", flat=True))
    # Deep pages that exist at any archive size.
    sitemap_page = 1 + Article.objects.count() // 500 // 2
    api_page = max(1, Article.objects.filter(topics__slug=topics[1]).count() // 20 // 2)
    years = sorted({(slug, day.year) for slug, day in issues})
    slugs = sorted({slug for slug, _ in issues})
    return {
        "home": [reverse("archive:home")],
        "issue": [reverse("archive:issue_detail", args=[slug, day]) for slug, day in issues],
        "archive_index": [reverse("archive:archive_index", args=[slug]) for slug in slugs],
        "archive_year": [reverse("archive:archive_year", args=[slug, year]) for slug, year in years],
        "archive_month": [reverse("archive:archive_month", args=[slug, day.year, day.month]) for slug, day in issues],
        "article": [reverse("archive:article_detail", args=[slug, pk]) for slug, pk in articles],
        "reporter_list": [
            reverse("archive:reporter_list"),
            reverse("archive:reporter_list") + "?sort=count",
            reverse("archive:reporter_list") + "?role=photographer&initial=L",
            reverse("archive:reporter_list") + "?page=5",
        ],
        "reporter_detail": [
            reverse("archive:reporter_detail", args=[busiest]),
            reverse("archive:reporter_detail", args=[busiest]) + "?page=40",
            reverse("archive:reporter_detail", args=[median]),
            reverse("archive:reporter_detail", args=[few]),
        ],
        "topic_list": [reverse("archive:topic_list")],
        "topic_detail": [reverse("archive:topic_detail", args=[slug]) for slug in rng.sample(topics, k=4)]
        + [reverse("archive:topic_detail", args=[topics[0]]) + "?page=200"],
        "feed_latest": [reverse("archive:feed_latest")],
        "sitemap_articles": [reverse("archive:sitemap_section", args=["articles"]) + f"?p={sitemap_page}"],
        "api_articles": [
            "/api/articles/",
            f"/api/articles/?topic={topics[1]}&page={api_page}",
            f"/api/articles/?reporter={busiest}",
        ],
    }


def timed(client, url, wall: list, cpu: list):
    """Request ``url``; wall-clock and CPU milliseconds (CPU time of this
    process: Python and SQLite, which runs in-process) into the lists."""
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    cpu.append((time.process_time() - started_cpu) * 1000)
    wall.append((time.perf_counter() - started) * 1000)
    return response


def measure(urls: dict[str, list[str]], repeat: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from archive.caching import bump_cache_generation

    client = Client()
    results = {}
    serial = 0
    for name, page_urls_ in urls.items():
        timings = {"cold": [], "miss": [], "hit": []}
        cpu = {"cold": [], "miss": [], "hit": []}
        queries = 0
        for round_ in range(repeat):
            url = page_urls_[round_ % len(page_urls_)]
            bump_cache_generation()
            with CaptureQueriesContext(connection) as captured:
                response = timed(client, url, timings["cold"], cpu["cold"])
            if response.status_code != 200:
                raise SystemExit(f"{url}: status {response.status_code}")
            queries = max(queries, len(captured.captured_queries))
            # Same generation, a URL not yet cached: only the page is rendered.
            serial += 1
            separator = "&" if "?" in url else "?"
            timed(client, f"{url}{separator}bench={serial}", timings["miss"], cpu["miss"])
            timed(client, url, timings["hit"], cpu["hit"])
        print(f"{name}: cold median {statistics.median(timings['cold']):.1f} ms", file=sys.stderr, flush=True)
        results[name] = {
            "queries": queries,
            **{
                f"{state}_{stat}_ms": round(value, 1)
                for state, values in timings.items()
                for stat, value in (
                    ("median", statistics.median(values)),
                    ("p95", sorted(values)[max(0, round(0.95 * len(values)) - 1)]),
                )
            },
            **{f"{state}_cpu_median_ms": round(statistics.median(values), 1) for state, values in cpu.items()},
        }
    return results


def related_timings(urls: list[str], repeat: int) -> dict:
    """How much of the article page is the search engine's "related" list."""
    from archive.models import Article
    from archive.search.related import related_articles

    timings = []
    for round_ in range(repeat):
        article = Article.objects.get(pk=int(urls[round_ % len(urls)].rstrip("/").rsplit("/", 1)[1]))
        started = time.perf_counter()
        related_articles(article, limit=5)
        timings.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(timings), 1), "max_ms": round(max(timings), 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15, help="requests per page kind and state")
    parser.add_argument("--seed", type=int, default=20240112)
    parser.add_argument("--target-ms", type=float, default=150.0)
    parser.add_argument("--rebuild", action="store_true", help="build the synthetic archive again")
    args = parser.parse_args(argv)

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database = database_path(args.articles, args.seed)
    if args.rebuild and database.exists():
        database.unlink()
    fresh = not database.exists()
    configure(database)
    try:
        from django.core.management import call_command

        # A cached archive from an older schema is brought up to date first.
        call_command("migrate", verbosity=0)
        if fresh:
            build(args.articles, args.seed)
        from archive.models import Article

        count = Article.objects.count()
        urls = page_urls(random.Random(args.seed))
        results = measure(urls, args.repeat)
        related = related_timings(urls["article"], args.repeat)
    finally:
        shutil.rmtree(os.environ["SEARCH_INDEX_PATH"], ignore_errors=True)

    width = max(len(name) for name in results)
    load = os.getloadavg()[0]
    print(
        f"{count} articles, {args.repeat} requests per page and state; milliseconds (median / p95, "
        f"and median CPU time); load average {load:.2f}"
    )
    print(f"{'page':<{width}}  {'cold':>15} {'cpu':>6}  {'miss':>15} {'cpu':>6}  {'hit':>13}  queries")
    for name, row in results.items():
        print(
            f"{name:<{width}}  {row['cold_median_ms']:>6.1f} / {row['cold_p95_ms']:>6.1f}"
            f" {row['cold_cpu_median_ms']:>6.1f}"
            f"  {row['miss_median_ms']:>6.1f} / {row['miss_p95_ms']:>6.1f} {row['miss_cpu_median_ms']:>6.1f}"
            f"  {row['hit_median_ms']:>5.1f} / {row['hit_p95_ms']:>5.1f}  {row['queries']:>7}"
        )
    print(
        f"of the article page, related_articles() alone: {related['median_ms']:.1f} ms median"
        " (no search index: its database fill-up)"
    )
    summary = {
        "benchmark": "pages",
        "articles": count,
        "repeat": args.repeat,
        "target_ms": args.target_ms,
        "load_average": round(load, 2),
        "miss_within_target": all(row["miss_median_ms"] <= args.target_ms for row in results.values()),
        "cold_within_target": all(row["cold_median_ms"] <= args.target_ms for row in results.values()),
        "slowest_cold_ms": max(row["cold_median_ms"] for row in results.values()),
        "slowest_miss_ms": max(row["miss_median_ms"] for row in results.values()),
        "related_articles": related,
        "pages": results,
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
