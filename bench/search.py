"""Search at scale: indexing throughput, index size, a worker's memory, query
latency, the first queries after a commit and uncached page renders, against
the stock set-up measured in the same run (unless ``--skip-stock``).

Builds the seeded synthetic archive of ``bench/synthetic.py`` (the one the
load benchmark uses) with N articles in its own SQLite database under
``var/bench/``, then

* ours: ``indexing.rebuild`` (database rows → data template → rjieba
  analysis → Whoosh) and ``search_articles`` (query, facets with counts,
  page of 20, articles loaded, snippets);
* stock: haystack's own Whoosh backend with jieba's ``ChineseAnalyzer``,
  indexed with ``backend.update`` in batches of 500 (as ``update_index``),
  queried with ``SearchQuerySet().auto_query`` (one searcher per query), a
  page of 20 loaded from the database, snippets from haystack's
  ``Highlighter``.

Both indexes are cached under ``var/bench/`` with the throughput measured
when they were built (``--rebuild`` builds them again). Everything else is
measured on every run, in a fresh process that acts as one web worker with
nothing cached (Django's dummy cache): the query percentiles after one
untimed run of each query (the engine keeps document sets and term scores
per index version, as a worker does) and the slowest first run apart; the
median render of the issue, article, reporter, topic and search pages; the
worker's peak resident memory after all that; then one article re-indexed
and the first query of each kind after that commit. Every figure is printed
with the load average. The last line is one JSON object.

``--engine opensearch`` puts ours on a search server instead: the cluster at
``--search-url``, or else an in-memory ``osmem-server`` started for the run
(its figures are labelled as such: it is not a cluster, and they say
nothing of one). The index is built anew on every run.

    .venv/bin/python bench/search.py --articles 10000 [--repeat 5] [--rebuild]
    .venv/bin/python bench/search.py --articles 1000000 --skip-stock
    .venv/bin/python bench/search.py --articles 10000 --engine opensearch [--search-url URL] [--skip-stock]
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
BENCH_DIR = PROJECT_DIR / "var" / "bench"
PER_PAGE = 20
SEED = 0


def start_search_server(url: str | None) -> tuple[str, str]:
    """The search server's address and how the figures are labelled."""
    if url:
        return url, f"the search server at {url}"
    from osmem_server import OsmemServer, __version__

    server = OsmemServer.start(japanese=False)
    # Ends with this process (the server watches its parent).
    return server.url, f"osmem-server {__version__}, an in-memory test server, not a cluster"


def configure(
    articles: int, *, uncached: bool = False, engine: str = "whoosh", search_url: str = "", titles: int = 2
) -> dict:
    from bench.synthetic import GENERATOR_VERSION

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    stem = f"search-{articles}{'' if titles == 2 else f'-titles{titles}'}-v{GENERATOR_VERSION}"
    paths = {
        "database": BENCH_DIR / f"{stem}.sqlite3",
        "ours": BENCH_DIR / f"{stem}-ours",
        "stock": BENCH_DIR / f"{stem}-stock",
        "meta": BENCH_DIR / f"{stem}.json",
    }
    os.environ["DATABASE_URL"] = f"sqlite:///{paths['database']}"
    os.environ["SEARCH_INDEX_PATH"] = str(paths["ours"])
    os.environ["SEARCH_ENGINE"] = engine
    if engine == "opensearch":
        os.environ["SEARCH_URL"] = search_url
        os.environ["SEARCH_INDEX_NAME"] = f"bench-search-{articles}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOW_INSECURE_DEV_KEY", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.update({"DEBUG": "0", "SECURE_HTTPS": "0", "ALLOWED_HOSTS": "testserver", "AXES_ENABLED": "0"})
    os.environ["STATIC_MANIFEST"] = "0"
    if uncached:
        os.environ["CACHE_BACKEND"] = "django.core.cache.backends.dummy.DummyCache"
    import django
    from django.conf import settings

    django.setup()
    settings.HAYSTACK_CONNECTIONS["stock"] = {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": str(paths["stock"]),
        "SILENTLY_FAIL": False,
        "INCLUDE_SPELLING": False,
        "BATCH_SIZE": 500,
    }
    return paths


def load_average() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


# The synthetic archive ---------------------------------------------------------


def build_archive(articles: int, titles: int = 2) -> None:
    from django.core.management import call_command
    from django.db import connection

    from archive.models import Article
    from bench.synthetic import SyntheticArchive, populate

    call_command("migrate", verbosity=0, interactive=False)
    stored = Article.objects.count()
    if stored == articles:
        return
    if stored:
        raise SystemExit(f"the bench database holds {stored} articles, not {articles}: delete it and run again")
    started = time.perf_counter()

    printed = [started]

    def progress(message: str) -> None:
        if time.perf_counter() - printed[0] >= 30:
            printed[0] = time.perf_counter()
            print(f"  {message}  {printed[0] - started:.0f} s  {load_average()}", flush=True)

    populate(SyntheticArchive(seed=SEED, titles=titles), articles, batch_issues=500, index=False, progress=progress)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    print(f"built a synthetic archive of {articles} articles in {time.perf_counter() - started:.0f} s", flush=True)


# Indexing ------------------------------------------------------------------------


def directory_size(path: Path) -> int:
    return sum(file.stat().st_size for file in Path(path).resolve().rglob("*") if file.is_file())


def index_ours(paths: dict) -> dict:
    from haystack import connections

    from archive.search import indexing

    backend = connections["default"].get_backend()
    if hasattr(backend, "swap_alias"):
        # A search server: the rebuild swaps its alias; the size is the server's.
        result = indexing.rebuild(batch_size=1000)
        stats = backend.conn.indices.stats(index=backend.index_name)
        return {
            "articles_per_s": result.rate,
            "seconds": result.seconds,
            "cpu_seconds": result.cpu_seconds,
            "bytes": stats["_all"]["primaries"].get("store", {}).get("size_in_bytes", 0),
        }
    link = paths["ours"]
    if link.is_symlink() or link.exists():
        shutil.rmtree(link.resolve(), ignore_errors=True)
        link.unlink() if link.is_symlink() else shutil.rmtree(link, ignore_errors=True)
    for old in link.parent.glob(f"{link.name}.*"):
        shutil.rmtree(old, ignore_errors=True)
    connections.reload("default")
    result = indexing.rebuild(batch_size=1000)
    return {
        "articles_per_s": result.rate,
        "seconds": result.seconds,
        "cpu_seconds": result.cpu_seconds,
        "bytes": directory_size(link),
    }


def stock_unified_index():
    import jieba.analyse
    from haystack import indexes

    from archive.models import Article

    class StockArticleIndex(indexes.SearchIndex, indexes.Indexable):
        # What most Chinese Django sites copy: jieba's analyzer on the
        # haystack defaults (stored, sortable text fields).
        text = indexes.CharField(
            document=True, use_template=True, template_name="search/indexes/archive/article_text.txt"
        )
        headline = indexes.CharField(model_attr="headline")
        issue_date = indexes.DateField(model_attr="issue__publication_date")
        topic = indexes.MultiValueField(faceted=True)
        reporter = indexes.MultiValueField(faceted=True)
        year = indexes.IntegerField(faceted=True)

        def get_model(self):
            return Article

        def index_queryset(self, using=None):
            return Article.objects.for_listing().prefetch_related("topics")

        def prepare_topic(self, article):
            return [topic.name for topic in article.topics.all()]

        def prepare_reporter(self, article):
            return [byline.reporter.name for byline in article.bylines.all()]

        def prepare_year(self, article):
            return article.issue.publication_date.year

    from haystack import connections
    from haystack.utils.loading import UnifiedIndex

    analyzer = jieba.analyse.ChineseAnalyzer()
    unified = UnifiedIndex()
    unified.build(indexes=[StockArticleIndex()])
    for field_name in ("text", "headline"):
        unified.get_index(Article).fields[field_name].analyzer = analyzer
    connections["stock"]._index = unified
    return unified


def index_stock(paths: dict) -> dict:
    from haystack import connections

    from archive.models import Article

    shutil.rmtree(paths["stock"], ignore_errors=True)
    unified = stock_unified_index()
    index = unified.get_index(Article)
    backend = connections["stock"].get_backend()
    backend.setup()
    started = time.perf_counter()
    cpu_started = time.process_time()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        backend.update(index, list(index.index_queryset().filter(pk__in=ids[start : start + 500])))
    seconds = time.perf_counter() - started
    return {
        "articles_per_s": len(ids) / seconds,
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu_started,
        "bytes": directory_size(paths["stock"]),
    }


# Queries ---------------------------------------------------------------------------


def query_sets(articles: int, rng: random.Random, titles: int = 2) -> dict[str, list[dict]]:
    """Five queries of each kind, drawn from what the synthetic text holds."""
    from archive.models import Newspaper, Reporter, Topic
    from archive.search.analysis import fold, query_words
    from bench.synthetic import FIRST_DAY, TITLES, SyntheticArchive, rare_code, rare_codes

    synthetic = SyntheticArchive(seed=SEED)
    common = synthetic.words[:5]
    # Two-word phrases as they occur in the text: adjacent words of a sentence.
    phrases = []
    frequent = set(synthetic.words[:300])
    for sentence in rng.sample(synthetic.sentences, k=200):
        for first, second in itertools.pairwise(query_words(fold(sentence))):
            if first in frequent and second in frequent:
                phrases.append(f'"{first}{second}"')
        if len(phrases) >= 5:
            break
    reporter = Reporter.objects.order_by("pk").values_list("name", flat=True)[7]
    topics = list(Topic.objects.order_by("pk").values_list("name", flat=True)[:2])
    years = FIRST_DAY.year + 1, FIRST_DAY.year + 2
    paper = TITLES[titles - 1][0] or Newspaper.for_setting().slug
    return {
        "rare": [{"q": rare_code(rng.randrange(rare_codes(articles)))} for _ in range(10)],
        "common": [{"q": word} for word in common],
        "and": [{"q": " ".join(rng.sample(synthetic.words[:60], k=2))} for _ in range(5)],
        "phrase": [{"q": phrase} for phrase in phrases[:5]],
        "filtered": [
            {"q": common[0], "topic": topics[0]},
            {"q": common[1], "year": years[0]},
            {"q": common[2], "reporter": reporter},
            {"q": common[3], "topic": topics[1], "year": years[1]},
            {"q": common[4], "kind": "news"},
        ],
        # The archive's last title (of two, the evening paper).
        "title": [
            {"q": "发展", "paper": paper},
            {"q": "服务", "paper": paper},
            {"q": "建设", "paper": paper, "year": 2016},
            {"q": "文化", "paper": paper},
            {"q": "养老 服务", "paper": paper},
        ],
    }


def run_ours(query: dict) -> int:
    from archive.search.query import search_articles

    arguments = dict(query)
    page = search_articles(arguments.pop("q"), per_page=PER_PAGE, **arguments)
    assert not page.error, page.error
    return page.total


def run_stock(query: dict) -> int:
    from haystack.query import SearchQuerySet
    from haystack.utils.highlighting import Highlighter

    from archive.models import Article

    arguments = dict(query)
    text = arguments.pop("q")
    sqs = SearchQuerySet(using="stock").auto_query(text)
    for name, value in arguments.items():
        if name == "year":
            sqs = sqs.filter(year_exact=value)
        elif name in ("kind", "paper"):
            continue  # the stock index has no such field; the query is still run
        else:
            sqs = sqs.filter(**{f"{name}_exact": value})
    hits = list(sqs[:PER_PAGE])
    total = sqs.count()
    articles = Article.objects.for_listing().in_bulk([int(hit.pk) for hit in hits])
    highlighter = Highlighter(text.replace('"', ""), html_tag="mark", max_length=140)
    for article in articles.values():
        highlighter.highlight(article.body)
    return total


def percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    p50 = statistics.median(values)
    p95 = values[min(len(values) - 1, max(0, round(0.95 * len(values)) - 1))]
    return p50, p95


def measure(runner, queries: list[dict], repeat: int) -> dict:
    """Each query once untimed for the percentiles (it warms what a worker
    that served the query before has warm), then ``repeat`` timed runs. The
    first runs are reported apart, as the slowest of them."""
    timings = []
    totals = []
    first = []
    for query in queries:
        started = time.perf_counter()
        totals.append(runner(query))
        first.append((time.perf_counter() - started) * 1000)
        for _ in range(repeat):
            started = time.perf_counter()
            runner(query)
            timings.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentiles(timings)
    return {"p50_ms": p50, "p95_ms": p95, "first_max_ms": max(first), "mean_hits": statistics.mean(totals)}


def page_urls(rng: random.Random, queries: dict[str, list[dict]]) -> dict[str, list[str]]:
    """A few URLs of each page kind, spread over the archive."""
    from django.db.models import Max, Min
    from django.urls import reverse

    from archive.models import Article, Issue, Reporter, Topic

    bounds = Issue.objects.aggregate(first=Min("publication_date"), last=Max("publication_date"))
    span = (bounds["last"] - bounds["first"]).days
    days = [bounds["first"] + datetime.timedelta(days=rng.randrange(span + 1)) for _ in range(10)]
    issues = [
        Issue.objects.select_related("paper").filter(publication_date__gte=day).order_by("publication_date").first()
        for day in days
    ]
    last_id = Article.objects.aggregate(last=Max("pk"))["last"]
    articles = [Article.objects.filter(pk__gte=rng.randrange(1, last_id + 1)).order_by("pk").first() for _ in range(10)]
    reporters = list(Reporter.objects.order_by("pk").values_list("slug", flat=True))
    topics = list(Topic.objects.order_by("pk").values_list("slug", flat=True))
    search = [item["q"] for kind in ("rare", "common", "and") for item in queries[kind][:3]]
    return {
        # Under each title's own address.
        "issue": [issue.get_absolute_url() for issue in issues],
        "article": [article.get_absolute_url() for article in articles],
        "reporter": [reverse("archive:reporter_detail", args=[slug]) for slug in rng.sample(reporters, k=10)],
        "topic": [reverse("archive:topic_detail", args=[slug]) for slug in rng.sample(topics, k=min(10, len(topics)))],
        "search": [f"{reverse('archive:search')}?q={term}" for term in search],
    }


def page_medians(urls: dict[str, list[str]], repeat: int) -> dict[str, float]:
    """Median render of each page kind, nothing cached (the dummy cache): each
    URL once untimed, then ``repeat`` rounds over the URLs."""
    from django.test import Client

    client = Client()
    medians = {}
    for kind, items in urls.items():
        for url in items:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: status {response.status_code}")
        timings = []
        for _ in range(repeat):
            for url in items:
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
        medians[kind] = statistics.median(timings)
    return medians


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def after_commit(queries: dict[str, list[dict]]) -> dict[str, float]:
    """Re-index one article, then time the first query of each kind: what
    readers wait for after every save while the caches of the new index
    version fill."""
    from archive.models import Article
    from archive.search import indexing

    article_id = Article.objects.order_by("pk").values_list("pk", flat=True).first()
    started = time.perf_counter()
    indexing.update_articles([article_id])
    print(f"\nours   one article re-indexed in {(time.perf_counter() - started) * 1000:.0f} ms; first query after it:")
    figures = {}
    for kind, items in queries.items():
        started = time.perf_counter()
        run_ours(items[0])
        figures[kind] = round((time.perf_counter() - started) * 1000, 1)
        print(f"ours   {kind:9} {figures[kind]:7.1f} ms")
    return figures


def build(options) -> None:
    """The synthetic archive and the indexes, cached with their build figures
    (ours on a search server is built anew for every run)."""
    paths = configure(
        options.articles, engine=options.engine, search_url=options.search_url or "", titles=options.titles
    )
    build_archive(options.articles, options.titles)
    meta = json.loads(paths["meta"].read_text()) if paths["meta"].exists() else {}
    on_server = options.engine == "opensearch"
    if on_server or options.rebuild or options.rebuild_ours or "ours" not in meta or not paths["ours"].exists():
        print(f"indexing (ours{', on ' + options.server_label if on_server else ''})…  {load_average()}", flush=True)
        built = index_ours(paths)
        built["load_average"] = os.getloadavg()[0]
        # Figures of a server's index are kept apart from the cached Whoosh index's.
        meta["ours_server" if on_server else "ours"] = built
        paths["meta"].write_text(json.dumps(meta))
    if not options.skip_stock and (
        (options.rebuild and not options.rebuild_ours) or "stock" not in meta or not paths["stock"].exists()
    ):
        print(f"indexing (stock)…  {load_average()}", flush=True)
        meta["stock"] = index_stock(paths)
        meta["stock"]["load_average"] = os.getloadavg()[0]
        paths["meta"].write_text(json.dumps(meta))


def measure_all(options) -> dict:
    """One worker's figures, in this (fresh) process; returns the summary."""
    server = options.search_url or ""
    paths = configure(options.articles, uncached=True, engine=options.engine, search_url=server, titles=options.titles)
    meta = json.loads(paths["meta"].read_text())
    if options.engine == "opensearch":
        meta["ours"] = meta.pop("ours_server")
    if not options.skip_stock:
        stock_unified_index()
    rng = random.Random(7)
    queries = query_sets(options.articles, rng, options.titles)
    figures = {"ours": {}, "stock": {}}
    loads = []
    for kind, items in queries.items():
        figures["ours"][kind] = measure(run_ours, items, options.repeat)
        loads.append(os.getloadavg()[0])
        if not options.skip_stock:
            figures["stock"][kind] = measure(run_stock, items, options.repeat)
    pages = page_medians(page_urls(rng, queries), options.repeat)
    loads.append(os.getloadavg()[0])
    rss = peak_rss_mb()

    print(
        f"\n{options.articles} articles in {options.titles} title(s), {os.cpu_count()} cores;"
        f" pages of {PER_PAGE} with snippets and facets"
    )
    if options.engine == "opensearch":
        print(f"ours: opensearch on {options.server_label}")
    for name in ("ours", "stock"):
        if name not in meta or not figures[name]:
            continue
        built = meta[name]
        print(
            f"{name:6} indexing {built['articles_per_s']:7.0f} articles/s in {built['seconds']:.0f} s"
            f" ({built.get('cpu_seconds', 0.0):.0f} CPU s, load average {built.get('load_average', 0):.2f}),"
            f" index {built['bytes'] / 1e6:7.1f} MB"
        )
        for kind, figure in figures[name].items():
            print(
                f"{name:6} {kind:9} p50 {figure['p50_ms']:7.1f} ms  p95 {figure['p95_ms']:7.1f} ms"
                f"  first run ≤ {figure['first_max_ms']:7.1f} ms  ({figure['mean_hits']:.0f} hits on average)"
            )
    print(f"ours   worker peak RSS {rss:.0f} MB after the queries and pages above")
    print("ours   page medians, nothing cached: " + ", ".join(f"{kind} {ms:.1f} ms" for kind, ms in pages.items()))
    summary = {
        "articles": options.articles,
        "titles": options.titles,
        "engine": options.engine,
        **({"search_server": options.server_label} if options.engine == "opensearch" else {}),
        "index_articles_per_s": round(meta["ours"]["articles_per_s"], 1),
        # Processor seconds of the build, all workers: what the machine's
        # other load does not change much.
        "index_cpu_s": round(meta["ours"].get("cpu_seconds", 0.0), 1),
        "index_seconds": round(meta["ours"]["seconds"], 1),
        "index_load_average": round(meta["ours"].get("load_average", 0.0), 2),
        "index_mb": round(meta["ours"]["bytes"] / 1e6, 1),
        "worker_rss_mb": round(rss, 1),
    }
    for kind, figure in figures["ours"].items():
        summary[f"{kind}_p50_ms"] = round(figure["p50_ms"], 1)
        summary[f"{kind}_p95_ms"] = round(figure["p95_ms"], 1)
        summary[f"{kind}_first_max_ms"] = round(figure["first_max_ms"], 1)
        summary[f"{kind}_hits"] = round(figure["mean_hits"])
    for kind, milliseconds in pages.items():
        summary[f"page_{kind}_median_ms"] = round(milliseconds, 1)
    summary["page_median_max_ms"] = round(max(pages.values()), 1)
    if figures["stock"]:
        summary["baseline_index_articles_per_s"] = round(meta["stock"]["articles_per_s"], 1)
        summary["baseline_index_cpu_s"] = round(meta["stock"].get("cpu_seconds", 0.0), 1)
        summary["baseline_index_mb"] = round(meta["stock"]["bytes"] / 1e6, 1)
        for kind, figure in figures["stock"].items():
            summary[f"baseline_{kind}_p50_ms"] = round(figure["p50_ms"], 1)
            summary[f"baseline_{kind}_p95_ms"] = round(figure["p95_ms"], 1)
            summary[f"baseline_{kind}_first_max_ms"] = round(figure["first_max_ms"], 1)
        summary["index_speedup"] = round(summary["index_articles_per_s"] / summary["baseline_index_articles_per_s"], 2)
        summary["rare_speedup"] = round(summary["baseline_rare_p95_ms"] / summary["rare_p95_ms"], 2)
        summary["common_speedup"] = round(summary["baseline_common_p95_ms"] / summary["common_p95_ms"], 2)
    commit = after_commit(queries)
    loads.append(os.getloadavg()[0])
    for kind, milliseconds in commit.items():
        summary[f"after_commit_{kind}_first_ms"] = milliseconds
    summary["after_commit_max_ms"] = max(commit.values())
    summary["load_average_max"] = round(max(loads), 2)
    print(f"{load_average()} (highest while measuring: {max(loads):.2f})")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query and page")
    parser.add_argument(
        "--titles", type=int, choices=(1, 2), default=2, help="titles the articles are spread over (default 2)"
    )
    parser.add_argument("--rebuild", action="store_true", help="build both indexes again")
    parser.add_argument("--rebuild-ours", action="store_true", help="build only the archive's index again")
    parser.add_argument("--skip-stock", action="store_true", help="measure only the archive's configuration")
    parser.add_argument("--build-only", action="store_true", help="build (or check) the archive and indexes, then stop")
    parser.add_argument("--engine", choices=("whoosh", "opensearch"), default="whoosh", help="where ours is indexed")
    parser.add_argument("--search-url", help="with --engine opensearch: a cluster (default: an in-memory osmem-server)")
    # The measuring half, run in a fresh process so its memory is one worker's.
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--server-label", default="", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.articles < 100:
        parser.error("--articles must be at least 100")
    if options.engine == "opensearch" and not options.measure:
        options.search_url, options.server_label = start_search_server(options.search_url)
    if options.measure:
        print(json.dumps(measure_all(options), ensure_ascii=False), flush=True)
        return
    build(options)
    if options.build_only:
        return
    arguments = [sys.executable, __file__, "--articles", str(options.articles), "--repeat", str(options.repeat)]
    arguments += ["--titles", str(options.titles)]
    if options.skip_stock:
        arguments.append("--skip-stock")
    if options.engine == "opensearch":
        arguments += ["--engine", "opensearch", "--search-url", options.search_url]
        arguments += ["--server-label", options.server_label]
    sys.exit(subprocess.run([*arguments, "--measure"], check=False).returncode)


if __name__ == "__main__":
    main()
