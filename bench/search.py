"""Search speed: indexing throughput, index size and query latency, against
the stock set-up measured in the same run.

Builds a synthetic archive of N articles from the sample issues' sentences
(seeded: the same N gives the same archive) in its own SQLite database under
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
when they were built (``--rebuild`` builds them again).

``--engine opensearch`` puts ours on a search server instead: the cluster at
``--search-url``, or else an in-memory ``osmem-server`` started for the run
(its figures are labelled as such: it is not a cluster, and they say
nothing of one). The index is built anew on every run, and the same queries
print the same figures. Query latency is
measured on every run: the percentiles after one untimed run of each query
(ours keeps document sets and term scores per index version, as a worker
does), and the slowest first run apart. The last line is one JSON object.

    .venv/bin/python bench/search.py --articles 10000 [--repeat 5] [--rebuild]
    .venv/bin/python bench/search.py --articles 10000 --engine opensearch [--search-url URL] [--skip-stock]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
BENCH_DIR = PROJECT_DIR / "var" / "bench"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
GIVEN = "欣霞伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文辉玲萍红雪琳晨宇浩然婷瑞"
SECTIONS = ["要闻", "经济", "民生", "文化", "社会", "体育", "评论", "首府新闻", "专题", "综合"]
PER_PAGE = 20


def start_search_server(url: str | None) -> tuple[str, str]:
    """The search server's address and how the figures are labelled."""
    if url:
        return url, f"the search server at {url}"
    from osmem_server import OsmemServer, __version__

    server = OsmemServer.start(japanese=False)
    # Ends with this process (the server watches its parent).
    return server.url, f"osmem-server {__version__}, an in-memory test server, not a cluster"


def configure(articles: int, engine: str = "whoosh", search_url: str = "") -> dict:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    paths = {
        "database": BENCH_DIR / f"search-{articles}.sqlite3",
        "ours": BENCH_DIR / f"search-{articles}-ours",
        "stock": BENCH_DIR / f"search-{articles}-stock",
        "meta": BENCH_DIR / f"search-{articles}.json",
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


# The synthetic archive ---------------------------------------------------------


def sample_sentences() -> list[str]:
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted((PROJECT_DIR / "samples").glob("*.txt")))
    sentences = []
    for line in text.splitlines():
        for sentence in re.split(r"(?<=[。！？])", line.strip()):
            if len(sentence) >= 12:
                sentences.append(sentence)
    return sentences


def build_archive(articles: int, seed: int = 20240112) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from archive.models import Article, ArticleKind, Byline, BylineRole, Issue, Reporter, Section, Topic

    call_command("migrate", verbosity=0, interactive=False)
    if Article.objects.count() == articles:
        return
    rng = random.Random(seed)
    sentences = sample_sentences()
    topics = list(Topic.ensure_fixed_list().values())
    sections = [Section.objects.get_or_create(name=name)[0] for name in SECTIONS]
    names = sorted({rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))) for _ in range(400)})
    reporters = [Reporter(name=name) for name in names]
    for reporter in reporters:
        reporter.save()
    kinds = [ArticleKind.NEWS] * 8 + [ArticleKind.COMMENTARY, ArticleKind.INTERVIEW, ArticleKind.PHOTO]
    per_issue = 16
    first_day = __import__("datetime").date(2014, 1, 1)
    made = 0
    started = time.perf_counter()
    with transaction.atomic():
        day = 0
        while made < articles:
            date = first_day + __import__("datetime").timedelta(days=day)
            day += 1
            issue = Issue.objects.create(
                publication_date=date,
                source_name=f"{date:%Y%m%d}.txt",
                source_sha256=f"bench{date:%Y%m%d}".ljust(64, "0"),
                source_text="",
            )
            batch = []
            for position in range(1, min(per_issue, articles - made) + 1):
                paragraphs = [
                    "".join(rng.choice(sentences) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(2, 5))
                ]
                # One rare code per article, shared by about 20 articles.
                code = f"QK{rng.randrange(max(1, articles // 20)):05d}"
                paragraphs[-1] += f"项目编号{code}。"
                headline = rng.choice(sentences)[: rng.randint(8, 20)].rstrip("，,。")
                batch.append(
                    Article(
                        issue=issue,
                        position=position,
                        headline=headline,
                        kind=rng.choice(kinds),
                        section=rng.choice(sections),
                        paragraphs=paragraphs,
                        keywords=[],
                        primary_topic=rng.choice(topics),
                        event_date=date,
                    )
                )
            Article.objects.bulk_create(batch)
            bylines, topic_links = [], []
            for article in batch:
                for index, reporter in enumerate(rng.sample(reporters, rng.choice((1, 1, 2)))):
                    bylines.append(Byline(article=article, reporter=reporter, role=BylineRole.REPORTER, position=index))
                topic_links.append(Article.topics.through(article_id=article.pk, topic_id=article.primary_topic_id))
            Byline.objects.bulk_create(bylines)
            Article.topics.through.objects.bulk_create(topic_links)
            made += len(batch)
    connection.close()
    print(f"built a synthetic archive of {made} articles in {time.perf_counter() - started:.0f} s", flush=True)


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


def query_sets(articles: int, rng: random.Random) -> dict[str, list[dict]]:
    from archive.models import Reporter

    codes = [f"QK{rng.randrange(max(1, articles // 20)):05d}" for _ in range(10)]
    reporter = Reporter.objects.order_by("pk").values_list("name", flat=True)[7]
    return {
        "rare": [{"q": code} for code in codes],
        "common": [{"q": word} for word in ("发展", "建设", "工作", "服务", "记者")],
        "and": [{"q": words} for words in ("养老 服务", "呼和浩特 发展", "社会 救助", "文化 旅游", "企业 创新")],
        "phrase": [
            {"q": phrase} for phrase in ('"高质量发展"', '"社会救助"', '"呼和浩特"', '"养老服务"', '"新闻发布会"')
        ],
        "filtered": [
            {"q": "发展", "topic": "经济"},
            {"q": "服务", "year": 2016},
            {"q": "建设", "reporter": reporter},
            {"q": "文化", "topic": "文化", "year": 2015},
            {"q": "工作", "kind": "news"},
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
        elif name == "kind":
            continue  # the stock index has no kind field; the query is still run
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--rebuild", action="store_true", help="build both indexes again")
    parser.add_argument("--rebuild-ours", action="store_true", help="build only the archive's index again")
    parser.add_argument("--skip-stock", action="store_true", help="measure only the archive's configuration")
    parser.add_argument(
        "--after-commit",
        action="store_true",
        help="then re-index one article (as an editor's save does; the cached index keeps the change) "
        "and time the first query of each kind after that commit",
    )
    parser.add_argument("--engine", choices=("whoosh", "opensearch"), default="whoosh", help="where ours is indexed")
    parser.add_argument("--search-url", help="with --engine opensearch: a cluster (default: an in-memory osmem-server)")
    options = parser.parse_args()
    if options.articles < 100:
        parser.error("--articles must be at least 100")

    server_label = ""
    search_url = ""
    if options.engine == "opensearch":
        search_url, server_label = start_search_server(options.search_url)
    paths = configure(options.articles, options.engine, search_url)
    build_archive(options.articles)
    meta = json.loads(paths["meta"].read_text()) if paths["meta"].exists() else {}
    if server_label:
        # Ours lives on the server: built for this run, never cached.
        print(f"indexing (ours, on {server_label})…", flush=True)
        meta_ours = index_ours(paths)
    elif options.rebuild or options.rebuild_ours or "ours" not in meta or not paths["ours"].exists():
        print("indexing (ours)…", flush=True)
        meta["ours"] = index_ours(paths)
        paths["meta"].write_text(json.dumps(meta))
    if not options.skip_stock and (
        (options.rebuild and not options.rebuild_ours) or "stock" not in meta or not paths["stock"].exists()
    ):
        print("indexing (stock)…", flush=True)
        meta["stock"] = index_stock(paths)
        paths["meta"].write_text(json.dumps(meta))
    if not options.skip_stock:
        stock_unified_index()
    if server_label:
        meta = {**meta, "ours": meta_ours}

    rng = random.Random(7)
    queries = query_sets(options.articles, rng)
    figures = {"ours": {}, "stock": {}}
    for kind, items in queries.items():
        figures["ours"][kind] = measure(run_ours, items, options.repeat)
        if not options.skip_stock:
            figures["stock"][kind] = measure(run_stock, items, options.repeat)

    print(f"\n{options.articles} articles, {os.cpu_count()} cores; pages of {PER_PAGE} with snippets")
    if server_label:
        print(f"ours: {options.engine} on {server_label}")
    for name in ("ours", "stock"):
        if name not in meta or not figures[name]:
            continue
        built = meta[name]
        print(
            f"{name:6} indexing {built['articles_per_s']:7.0f} articles/s"
            f" ({built.get('cpu_seconds', 0.0):.0f} CPU s), index {built['bytes'] / 1e6:7.1f} MB"
        )
        for kind, figure in figures[name].items():
            print(
                f"{name:6} {kind:9} p50 {figure['p50_ms']:7.1f} ms  p95 {figure['p95_ms']:7.1f} ms"
                f"  first run ≤ {figure['first_max_ms']:7.1f} ms  ({figure['mean_hits']:.0f} hits on average)"
            )
    summary = {
        "articles": options.articles,
        "engine": options.engine,
        **({"search_server": server_label} if server_label else {}),
        "index_articles_per_s": round(meta["ours"]["articles_per_s"], 1),
        # Processor seconds of the build, all workers: what the machine's
        # other load does not change much.
        "index_cpu_s": round(meta["ours"].get("cpu_seconds", 0.0), 1),
        "index_mb": round(meta["ours"]["bytes"] / 1e6, 1),
    }
    for kind, figure in figures["ours"].items():
        summary[f"{kind}_p50_ms"] = round(figure["p50_ms"], 1)
        summary[f"{kind}_p95_ms"] = round(figure["p95_ms"], 1)
        summary[f"{kind}_first_max_ms"] = round(figure["first_max_ms"], 1)
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
    if options.after_commit:
        for kind, milliseconds in after_commit(queries).items():
            summary[f"after_commit_{kind}_first_ms"] = milliseconds
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
