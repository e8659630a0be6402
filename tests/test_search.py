"""What search does, on every engine: relevance on the sample issues,
phrases, names and folding, filters and facets, sort orders and pages,
snippets, bad input, related articles, caching, and keeping the index in
step with the database.

Every test here that uses the index runs once per engine (the module is
marked ``every_search_engine``, which parametrises the ``search_engine``
fixture): the archive's Whoosh index, and an OpenSearch-compatible server
(osmem-server, or the cluster at ``SEARCH_TEST_URL``). Nothing here imports
an engine.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import Article, ArticleKind, Byline, Issue, PendingIndex, Reporter, Section, Topic
from archive.search import indexing
from archive.search.query import search_articles
from archive.search.related import related_articles
from tests.factories import SAMPLE_FILES, ArticleFactory

STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
pytestmark = pytest.mark.every_search_engine


def titles(page):
    return [hit.article.title for hit in page.hits]


# Relevance on the sample issues ----------------------------------------------


@pytest.mark.django_db
def test_relevance_on_samples(ingested_samples):
    assert titles(search_articles("养老服务"))[0] == "我区民政事业高质量发展取得新成效"
    assert "放管服" in search_articles('"放管服"').hits[0].article.body
    assert "蒙速办" in titles(search_articles("包车游"))[0]
    traditional = search_articles("養老服務")
    assert titles(traditional)[0] == "我区民政事业高质量发展取得新成效"
    esp = search_articles("ESP32")
    assert esp.total == 1 and "ESP32" in esp.hits[0].article.body
    assert search_articles("esp32").total == 1
    percent = search_articles("97.6%")
    assert percent.total == 1 and "97.6%" in percent.hits[0].article.body


@pytest.mark.django_db
def test_single_characters_and_two_character_words(ingested_samples):
    for query in ("旗", "书", "驿站"):
        expected = {article.pk for article in Article.objects.all() if query in article.body + article.title}
        assert expected
        assert set(search_articles(query, per_page=100).article_ids) == expected, query


@pytest.mark.django_db
def test_reporter_name_finds_their_articles(ingested_samples):
    reporter = Reporter.objects.get(name="刘艳霞")
    expected = set(Article.objects.by_reporter(reporter).values_list("pk", flat=True))
    assert len(expected) >= 2
    found = set(search_articles("刘艳霞").article_ids)
    assert expected <= found
    assert set(search_articles("", reporter="刘艳霞").article_ids) == expected


@pytest.mark.django_db
def test_phrase_needs_the_words_in_order(ingested_samples):
    in_order = search_articles('"民政 事业"')
    assert "我区民政事业高质量发展取得新成效" in titles(in_order)
    assert all("民政事业" in hit.article.body + hit.article.title for hit in in_order.hits)
    assert search_articles('"事业 民政"').total < in_order.total
    city = search_articles('"呼和浩特"')
    assert city.total >= 3
    assert all("呼和浩特" in hit.article.body + hit.article.title for hit in city.hits)


@pytest.mark.django_db
def test_headline_matches_rank_above_body_matches(clean_index):
    day = datetime.date(2024, 3, 1)
    body_only = ArticleFactory(
        issue__publication_date=day,
        position=1,
        headline="城市新闻",
        paragraphs=["今年的马铃薯产量很高。" + "其他内容。" * 5],
    )
    headline = ArticleFactory(
        issue__publication_date=day, position=2, headline="马铃薯丰收", paragraphs=["农民很高兴。" + "其他内容。" * 5]
    )
    indexing.update_articles([body_only.pk, headline.pk])
    assert search_articles("马铃薯").article_ids == [headline.pk, body_only.pk]


@pytest.mark.django_db
def test_a_word_inside_a_longer_word_is_found(clean_index):
    day = datetime.date(2024, 3, 1)
    students = ArticleFactory(
        issue__publication_date=day, position=1, headline="暑期活动", paragraphs=["北京大学生志愿者来到呼和浩特。"]
    )
    university = ArticleFactory(
        issue__publication_date=day, position=2, headline="学术交流", paragraphs=["北京大学的教授作报告。"]
    )
    indexing.update_articles([students.pk, university.pk])
    page = search_articles("北京大学")
    assert page.article_ids[0] == university.pk
    assert students.pk in page.article_ids


@pytest.mark.django_db
def test_or_exclude_and_match_all(ingested_samples):
    total = Article.objects.count()
    either = set(search_articles("养老 OR 殡葬").article_ids)
    assert set(search_articles("养老").article_ids) <= either
    assert set(search_articles("殡葬").article_ids) <= either
    without = search_articles("养老 -殡葬")
    assert all("殡葬" not in hit.article.body for hit in without.hits)
    assert without.total < len(either)
    everything = search_articles("*", per_page=100)
    assert everything.total == total
    assert sum(count for _value, _label, count in everything.facets["year"]) == total


# Filters, facets, sorting, pages ---------------------------------------------


@pytest.mark.django_db
def test_facet_counts_respect_the_other_filters(ingested_samples):
    page = search_articles("发展")
    years = {value: count for value, _label, count in page.facets["year"]}
    assert sum(years.values()) == page.total
    year = max(years, key=years.get)
    narrowed = search_articles("发展", year=int(year))
    assert narrowed.total == years[year]
    # The year facet still offers the other years (it leaves its own filter out)...
    assert {value for value, _l, _c in narrowed.facets["year"]} == set(years)
    # ...while the topic counts are within that year.
    assert sum(count for _v, _l, count in narrowed.facets["topic"]) >= narrowed.total
    for value, _label, count in narrowed.facets["topic"]:
        assert search_articles("发展", year=int(year), topic=value).total == count


@pytest.mark.django_db
def test_date_range_kind_and_section_filters(ingested_samples):
    first_day = Issue.objects.order_by("publication_date").first().publication_date
    page = search_articles("*", date_from=first_day, date_to=first_day, per_page=100)
    expected = Article.objects.filter(issue__publication_date=first_day).count()
    assert page.total == expected
    assert all(hit.article.issue.publication_date == first_day for hit in page.hits)
    kinds = search_articles("*", kind=ArticleKind.NEWS, per_page=100)
    assert kinds.total == Article.objects.filter(kind=ArticleKind.NEWS).count()
    section = Article.objects.exclude(section=None).select_related("section").first()
    if section is not None:
        by_section = search_articles("*", section=section.section.name, per_page=100)
        assert by_section.total == Article.objects.filter(section=section.section).count()


@pytest.mark.django_db
def test_sort_and_stable_pages(ingested_samples):
    newest = search_articles("*", sort="newest", per_page=100)
    dates = [hit.article.issue.publication_date for hit in newest.hits]
    assert dates == sorted(dates, reverse=True)
    oldest = search_articles("*", sort="oldest", per_page=100)
    assert [hit.article.issue.publication_date for hit in oldest.hits] == sorted(dates)
    seen = []
    for number in (1, 2, 3, 4):
        seen += search_articles("*", sort="newest", page=number, per_page=5).article_ids
    assert len(seen) == len(set(seen)) == newest.total
    relevance = [search_articles("发展", page=n, per_page=3).article_ids for n in (1, 2, 3)]
    flat = [pk for ids in relevance for pk in ids]
    assert len(flat) == len(set(flat))


# Snippets ---------------------------------------------------------------------


@pytest.mark.django_db
def test_snippets_mark_whole_words_and_escape_html(ingested_samples):
    for query in ("养老服务", "呼和浩特", "包车游", "ESP32"):
        for hit in search_articles(query).hits:
            for html in (hit.snippet_html, hit.headline_html):
                text_only = re.sub(r"</?mark>", "", html)
                assert "<" not in text_only.replace("&lt;", "")
            assert "<mark>" in hit.snippet_html + hit.headline_html


# Bad input --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ['"放管服', "AND OR", "*", "养" * 10000, "养老\x00服务\x1b", "OR", '"" ""', "-", "(((", "year:2024", "养老 AND"],
)
def test_unusual_queries_get_a_page_never_a_500(client, ingested_samples, settings, query):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": STATIC}
    response = client.get("/search/", {"q": query})
    assert response.status_code in (200, 400)
    assert "搜索" in response.content.decode()


@pytest.mark.django_db
def test_search_page_filters_and_errors(client, ingested_samples, settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": STATIC}
    page = client.get("/search/", {"q": "发展", "topic": "民生"}).content.decode()
    assert 'aria-current="true"' in page and "共找到" in page
    bad = client.get("/search/", {"q": "发展", "from": "2024-13-01"})
    assert bad.status_code == 400 and "有效日期" in bad.content.decode()
    operators = client.get("/search/", {"q": "AND OR"})
    assert operators.status_code == 400 and "运算符" in operators.content.decode()
    nothing = client.get("/search/", {"q": "发展", "topic": "体育"}).content.decode()
    assert "去掉一个条件" in nothing


@pytest.mark.django_db
def test_search_page_names_each_hits_reporters_in_a_fixed_number_of_queries(
    client, ingested_samples, settings, django_assert_max_num_queries
):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": STATIC}
    client.get("/search/", {"q": "呼和浩特"})  # the process loads reporter names once
    with django_assert_max_num_queries(4):
        response = client.get("/search/", {"q": "发展"})
    hits = response.context["result"].hits
    assert len(hits) >= 5
    page = response.content.decode()
    with_reporters = [hit for hit in hits if hit.article.bylines.exists()]
    assert with_reporters
    for hit in with_reporters:
        names = [byline.reporter.name for byline in hit.article.bylines.order_by("position", "pk")]
        assert hit.reporter_names == names
        assert " · " + "、".join(names) + "</p>" in page


@pytest.mark.django_db
def test_search_pages_are_cached_until_the_index_changes(client, ingested_samples, settings, django_assert_num_queries):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": STATIC}
    first = client.get("/search/", {"q": "民政"})
    article = first.context["result"].hits[0].article
    with django_assert_num_queries(0):
        again = client.get("/search/", {"q": "民政"})
    assert again.content == first.content
    # The database and the index change, the cache generation does not (as
    # between an ingest's commit and its re-index): the page is new anyway.
    Article.objects.filter(pk=article.pk).update(headline="民政工作新标题")
    indexing.update_articles([article.pk])
    assert "新标题" in client.get("/search/", {"q": "民政"}).content.decode()
    with django_assert_num_queries(0):
        assert "新标题" in client.get("/search/", {"q": "民政"}).content.decode()


# Index maintenance --------------------------------------------------------------


@pytest.mark.django_db
def test_update_remove_and_check(ingested_samples):
    article = Article.objects.get(headline="我区民政事业高质量发展取得新成效")
    assert indexing.check().ok
    article.paragraphs = [*article.paragraphs, "新增的段落提到了马头琴演奏。"]
    article.save()
    assert search_articles("马头琴").total == 0
    assert article.pk in indexing.check().stale
    indexing.update_articles([article.pk])
    assert search_articles("马头琴").article_ids == [article.pk]
    indexing.remove_articles([article.pk])
    assert article.pk in indexing.check().missing
    with pytest.raises(CommandError):
        call_command("check_index")
    call_command("check_index", "--fix")
    assert indexing.check().ok
    # An id that left the database is removed by update_articles.
    Article.objects.filter(pk=article.pk).delete()
    assert article.pk in indexing.check().orphaned
    indexing.update_articles([article.pk])
    assert indexing.check().ok


@pytest.mark.django_db
def test_related_articles_share_subject(ingested_samples):
    article = Article.objects.get(headline="我区民政事业高质量发展取得新成效")
    related = related_articles(article, limit=3)
    assert related and article not in related and len(related) <= 3
    keywords = set(article.keywords)
    first = related[0]
    assert keywords & set(first.keywords) or any(word in first.body for word in keywords)


@pytest.mark.django_db
def test_one_pass_documents_equal_haystacks(ingested_samples):
    from haystack import indexes

    index = indexing._index()
    # The cases haystack's generic path treats specially: a section or none,
    # no event date, a primary topic outside the topics, keywords, two bylines.
    caption = "只有正文的图片新闻说明文字，超过三十个字的说明文字会被截断显示。"
    odd = ArticleFactory(
        issue__publication_date=datetime.date(2024, 3, 1),
        position=1,
        headline="",
        paragraphs=[caption],
        reporter="王二",
    )
    topics = Topic.ensure_fixed_list()
    odd.primary_topic = topics["经济"]
    odd.keywords = ["图片", "新闻"]
    odd.kicker, odd.subtitle, odd.column = "引题", "副题", "栏目"
    odd.section = Section.objects.create(name="要闻")
    odd.save()
    odd.topics.set([topics["文化"]])
    Byline.objects.create(article=odd, reporter=Reporter.objects.create(name="李三"), role="photographer", position=1)
    assert Article.objects.filter(section__isnull=True, event_date__isnull=True).exists()
    compared = 0
    for obj in index.index_queryset().order_by("pk"):
        ours = dict(index.full_prepare(obj))
        generic = dict(indexes.SearchIndex.full_prepare(index, obj))
        assert ours == generic, obj.pk
        # The template renders a SafeString (a str); Whoosh sees the same text.
        assert {key: type(value) for key, value in ours.items() if key != "text"} == {
            key: type(value) for key, value in generic.items() if key != "text"
        }
        compared += 1
    assert compared == Article.objects.count()


@pytest.mark.django_db
def test_health_reports_the_engine(client, clean_index, search_engine):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["search"] == "ok"
    if search_engine == "whoosh":
        assert "search_server" not in body
    else:
        server = body["search_server"]
        assert server["engine"] == "opensearch" and server["articles"] == 0 and len(server["index"]) == 1


def test_a_rebuild_swaps_in_a_whole_index_while_search_answers(transactional_db, ingested_samples):
    total = Article.objects.count()
    version = indexing.index_version()
    during = []

    def progress(done, _total):
        # The live index still answers in full while the new one fills.
        during.append(search_articles("*").total)

    result = indexing.rebuild(batch_size=4, progress=progress, workers=1)
    assert result.articles == total and during and set(during) == {total}
    assert indexing.index_version() != version
    assert search_articles("*").total == total
    assert search_articles("养老服务").total == 1 and indexing.check().ok


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
    from tests.conftest import use_search_engine
    from tests.test_admin import form_data

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


@pytest.mark.django_db
def test_a_new_archive_gets_an_empty_index_and_an_existing_one_is_kept(clean_index, search_engine):
    from haystack import connections

    from archive import search

    connections["default"].get_backend().clear()
    search.ensure_index()
    assert search.engine_state()["engine"] == search_engine
    assert search_articles("*").total == 0
    article = ArticleFactory(headline="马铃薯丰收", paragraphs=["农民很高兴。"])
    indexing.update_articles([article.pk])
    version = search.index_version()
    search.ensure_index()
    assert search.index_version() == version and search_articles("马铃薯").article_ids == [article.pk]
