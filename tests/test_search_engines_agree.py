"""The two engines side by side: OpenSearch finds what Whoosh finds on the
sample issues (Whoosh is the oracle), and a search server that stops answering
during an ingest and an edit loses nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import Article, ArticleKind, Issue, PendingIndex, Reporter, Topic
from archive.search import indexing
from archive.search.query import search_articles
from tests.factories import SAMPLE_FILES

pytestmark = pytest.mark.every_search_engine


ORDERED = [("*", "newest"), ("*", "oldest"), ("发展", "newest"), ("*", "relevance")]


def _summary(page):
    return {
        "total": page.total,
        "ids": sorted(page.article_ids),
        "facets": page.facets,
        "error": page.error,
    }


@pytest.mark.django_db
def test_opensearch_finds_what_whoosh_finds_on_the_samples(request, search_index_dir):
    """The same queries on both engines over the same articles: the same hit
    sets, totals and facet counts (Whoosh is the oracle)."""
    from haystack import connections

    from archive import search
    from archive.ingest import ingest_file
    from tests.conftest import use_search_engine

    connections["default"].get_backend().clear()
    request.addfinalizer(lambda: connections["default"].get_backend().clear())
    for path in SAMPLE_FILES:
        ingest_file(path)
    search.drain_queue()
    first = Issue.objects.order_by("publication_date").first().publication_date
    topic = Topic.objects.filter(articles__isnull=False).order_by("name").first()
    reporter = Reporter.objects.filter(bylines__isnull=False).order_by("name").first()
    queries = [
        # Phrases, a run of Chinese as a phrase of its words, words inside longer words.
        {"q": '"民政 事业"'},
        {"q": '"事业 民政"'},
        {"q": "高质量发展"},
        {"q": '"社会 救助"'},
        {"q": "呼和浩特"},
        {"q": "大学"},
        {"q": "北京大学"},
        # Names.
        {"q": reporter.name},
        {"q": "", "reporter": reporter.name},
        # Folding: traditional script, full width, case, a number with its sign.
        {"q": "養老服務"},
        {"q": "ＥＳＰ３２"},
        {"q": "esp32"},
        {"q": "97.6%"},
        # Single characters, operators.
        {"q": "旗"},
        {"q": "书"},
        {"q": "养老 OR 殡葬"},
        {"q": "养老 -殡葬"},
        {"q": "发展 服务"},
        {"q": "标题:发展"},
        {"q": "*"},
        # Filters, with their facets.
        {"q": "发展", "year": first.year},
        {"q": "*", "kind": ArticleKind.NEWS},
        {"q": "发展", "topic": topic.name},
        {"q": "*", "date_from": first, "date_to": first},
    ]
    found = {}
    for engine in ("whoosh", "opensearch"):
        if engine == "opensearch":
            use_search_engine("opensearch", request)
            connections["default"].get_backend().clear()
            request.addfinalizer(lambda: connections["default"].get_backend().clear())
            indexing.update_articles(Article.objects.values_list("pk", flat=True))
        found[engine] = [_summary(search_articles(**query, per_page=100)) for query in queries]
        # The date orders, a day's articles in printed order: the same lists.
        found[engine].append([search_articles(q, sort=sort, per_page=100).article_ids for q, sort in ORDERED])
    assert any(summary["total"] for summary in found["whoosh"][:-1])
    for query, whoosh, opensearch in zip(queries, found["whoosh"], found["opensearch"], strict=False):
        assert opensearch == whoosh, query
    assert found["opensearch"][-1] == found["whoosh"][-1]


def _unreachable_url() -> str:
    """An address on this machine where nothing listens."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.mark.django_db
def test_search_server_down_during_an_ingest_and_an_edit_loses_nothing(
    client, request, django_capture_on_commit_callbacks, django_user_model
):
    """The server stops answering: an ingest and an editor's save still
    commit, their articles wait in the index queue, searches say the service
    is unavailable; once the server answers again one drain applies all."""
    from django.conf import settings
    from django.urls import reverse
    from haystack import connections

    from archive import search
    from tests.admin_pages import form_data
    from tests.conftest import use_search_engine

    use_search_engine("opensearch", request)
    connections["default"].get_backend().clear()
    call_command("ingest", str(SAMPLE_FILES[0]), "--no-progress")
    first_issue = set(Article.objects.values_list("pk", flat=True))
    assert search_articles("*", per_page=100).total == len(first_issue)

    conf = settings.HAYSTACK_CONNECTIONS["default"]
    live_url = conf["URL"]
    conf["URL"] = _unreachable_url()
    connections.reload("default")
    try:
        # An ingest: the issue is stored, its articles are queued.
        with pytest.raises(CommandError, match="wait for the search index"):
            call_command("ingest", str(SAMPLE_FILES[1]), "--no-progress")
        second_issue = set(Article.objects.values_list("pk", flat=True)) - first_issue
        assert second_issue
        assert set(PendingIndex.objects.values_list("article_id", flat=True)) == second_issue
        # An editor's save through the admin: saved and queued.
        article = Article.objects.filter(pk__in=first_issue).exclude(headline="").order_by("pk").first()
        client.force_login(django_user_model.objects.create_superuser("chief", "chief@example.org", "x"))
        url = reverse("admin:archive_article_change", args=[article.pk])
        data = {**form_data(client.get(url)), "headline": "服务器停机时保存的标题"}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data, follow=True)
        assert response.status_code == 200 and response.redirect_chain
        assert Article.objects.get(pk=article.pk).headline == "服务器停机时保存的标题"
        assert search.queue_status().length == len(second_issue) + 1
        # Readers are told, not shown an error page.
        page = client.get("/search/", {"q": "标题"})
        assert page.status_code == 503 and "暂时无法使用" in page.content.decode()
        assert client.get("/healthz").status_code == 503
        with pytest.raises(Exception):  # noqa: B017 - whatever the client raises
            search.drain_queue()
        assert search.queue_status().length == len(second_issue) + 1
    finally:
        conf["URL"] = live_url
        connections.reload("default")

    drained = search.drain_queue()
    assert drained.rows == len(second_issue) + 1
    assert search.queue_status().length == 0
    assert indexing.check().ok
    assert set(search_articles("*", per_page=100).article_ids) == first_issue | second_issue
    assert search_articles("服务器停机时保存的标题").article_ids[0] == article.pk
    assert client.get("/healthz").status_code == 200
