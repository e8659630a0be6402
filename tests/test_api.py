"""The read-only JSON API against the ingested sample issues."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from archive.models import Article, ArticleKind, BylineRole, Issue, Newspaper, Reporter, Topic


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def get_json(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_root_lists_the_endpoints(db, client):
    data = get_json(client, reverse("archive:api_root"))
    assert set(data) == {"papers", "articles", "issues", "reporters", "topics"}
    assert data["articles"] == "http://testserver/api/articles/"


def test_articles_newest_first_in_printed_order_with_pagination_links(ingested_samples, client):
    data = get_json(client, "/api/articles/", {"page_size": 5})
    assert data["count"] == Article.objects.count() == 18
    assert data["pages"] == 4 and data["page"] == 1 and data["previous"] is None
    assert data["next"] == "http://testserver/api/articles/?page_size=5&page=2"
    expected = list(Article.objects.order_by("-issue__publication_date", "position", "pk").values_list("pk", flat=True))
    seen = []
    url, params = "/api/articles/", {"page_size": 5}
    while url:
        page = get_json(client, url, params)
        seen.extend(item["id"] for item in page["results"])
        url, params = page["next"], None
    assert seen == expected
    first = data["results"][0]
    assert first["issue_date"] == "2024-01-12"
    assert first["title"] == "我区民政事业高质量发展取得新成效"
    assert first["bylines"] == [
        {
            "name": "耿欣",
            "slug": Reporter.objects.get(name="耿欣").slug,
            "role": "reporter",
            "role_label": "记者",
            "url": f"http://testserver{Reporter.objects.get(name='耿欣').get_absolute_url()}",
        }
    ]
    assert first["kind_label"] == "消息"
    assert first["excerpt"].startswith("本报讯")


def test_articles_filter_by_topic_reporter_dates_and_kind(ingested_samples, client):
    economy = Topic.objects.get(name="经济")
    data = get_json(client, "/api/articles/", {"topic": economy.slug})
    assert data["count"] == economy.articles.count()

    reporter = Reporter.objects.get(name="吕会生")
    data = get_json(client, "/api/articles/", {"reporter": reporter.slug})
    assert data["count"] == 3
    assert all("吕会生" in [b["name"] for b in item["bylines"]] for item in data["results"])

    data = get_json(client, "/api/articles/", {"from": "2024-01-01"})
    assert data["count"] == 9 and {item["issue_date"] for item in data["results"]} == {"2024-01-12"}
    data = get_json(client, "/api/articles/", {"to": "2023-12-31", "kind": "photo"})
    assert data["count"] == 2 and all(item["kind"] == "photo" for item in data["results"])


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"from": "2024-13-01"}, "from"),
        ({"to": "昨天"}, "to"),
        ({"from": "2024-02-01", "to": "2024-01-01"}, "from"),
        ({"kind": "poem"}, "kind"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"reporter": "nobody"}, "reporter"),
        ({"page": "two"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "1000"}, "page_size"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(ingested_samples, client, params, parameter):
    data = get_json(client, "/api/articles/", params, status=400)
    assert data["error"]["status"] == 400
    assert data["error"]["parameter"] == parameter
    assert data["error"]["message"]


def test_a_page_past_the_end_is_404(ingested_samples, client):
    data = get_json(client, "/api/articles/", {"page": 99}, status=404)
    assert "there are 1 pages" in data["error"]["message"]


def test_search_through_the_api_uses_the_search_engine(ingested_samples, client):
    data = get_json(client, "/api/articles/", {"q": "民政"})
    assert data["query"] == "民政"
    assert data["count"] >= 1
    titles = [item["title"] for item in data["results"]]
    assert "我区民政事业高质量发展取得新成效" in titles
    assert "<mark>" in data["results"][0]["snippet_html"]
    filtered = get_json(client, "/api/articles/", {"q": "民政", "from": "2030-01-01"})
    assert filtered["count"] == 0 and filtered["results"] == []


def test_search_errors_are_400(ingested_samples, client):
    data = get_json(client, "/api/articles/", {"q": "民政", "sort": "random"}, status=400)
    assert data["error"]["parameter"] == "sort"


def test_article_detail_has_the_full_text(ingested_samples, client):
    article = Article.objects.get(kind=ArticleKind.CONTINUATION)
    data = get_json(client, f"/api/articles/{article.pk}/")
    assert data["paragraphs"] == article.paragraphs
    assert data["continued_from"] == article.continued_from
    assert [topic["name"] for topic in data["topics"]] == list(article.topics.values_list("name", flat=True))
    assert data["keywords"] == article.keywords
    assert data["url"] == f"http://testserver{article.get_absolute_url()}"
    missing = get_json(client, "/api/articles/999999/", status=404)
    assert missing["error"]["message"] == "no article with id 999999"


def test_issues_list_and_detail(ingested_samples, client):
    data = get_json(client, "/api/issues/")
    assert [item["date"] for item in data["results"]] == ["2024-01-12", "2023-05-25"]
    assert [item["article_count"] for item in data["results"]] == [9, 9]
    assert get_json(client, "/api/issues/", {"year": 2023})["count"] == 1
    assert get_json(client, "/api/issues/", {"year": "soon"}, status=400)["error"]["parameter"] == "year"
    slug = Newspaper.objects.get().slug
    assert {item["paper"] for item in data["results"]} == {slug}
    assert get_json(client, "/api/issues/", {"paper": slug})["count"] == 2
    assert get_json(client, "/api/issues/", {"paper": "no-such-paper"}, status=400)["error"]["parameter"] == "paper"
    issue = get_json(client, f"/api/papers/{slug}/issues/2024-01-12/")
    assert issue["previous"] == "2023-05-25" and issue["next"] is None
    assert issue["api_url"] == f"http://testserver/api/papers/{slug}/issues/2024-01-12/"
    printed = Issue.objects.get(publication_date="2024-01-12").articles.order_by("position")
    expected = list(printed.values_list("pk", flat=True))
    assert [item["id"] for item in issue["articles"]] == expected
    get_json(client, f"/api/papers/{slug}/issues/2024-01-13/", status=404)
    # The address from before titles leads to the same issue.
    old = client.get("/api/issues/2024-01-12/")
    assert old.status_code == 301 and old["Location"] == f"/api/papers/{slug}/issues/2024-01-12/"


def test_papers_list_and_detail(ingested_samples, client):
    data = get_json(client, "/api/papers/")
    assert data["count"] == 1
    (row,) = data["results"]
    assert row["name"] == "呼和浩特日报" and row["issue_count"] == 2 and row["article_count"] == 18
    assert (row["first_date"], row["last_date"]) == ("2023-05-25", "2024-01-12")
    detail = get_json(client, f"/api/papers/{row['slug']}/")
    assert detail["issues_api_url"].endswith(f"/api/issues/?paper={row['slug']}")
    get_json(client, "/api/papers/no-such-paper/", status=404)
    article = get_json(client, "/api/articles/", {"page_size": 1})["results"][0]
    assert article["paper"]["slug"] == row["slug"]


def test_reporters_list_filters_and_detail(ingested_samples, client):
    data = get_json(client, "/api/reporters/", {"page_size": 100})
    assert data["count"] == Reporter.objects.count()
    row = next(item for item in data["results"] if item["name"] == "吕会生")
    assert row["article_count"] == 3 and row["first_year"] == 2023 and row["last_year"] == 2024
    photographers = get_json(client, "/api/reporters/", {"role": BylineRole.PHOTOGRAPHER})
    assert photographers["count"] >= 1
    assert all("photographer" in item["roles"] for item in photographers["results"])
    by_count = get_json(client, "/api/reporters/", {"sort": "count"})["results"]
    counts = [item["article_count"] for item in by_count]
    assert counts == sorted(counts, reverse=True)
    assert get_json(client, "/api/reporters/", {"initial": "ll"}, status=400)["error"]["parameter"] == "initial"
    assert get_json(client, "/api/reporters/", {"role": "chief"}, status=400)["error"]["parameter"] == "role"
    detail = get_json(client, f"/api/reporters/{row['slug']}/")
    assert detail["articles_api_url"].endswith(f"/api/articles/?reporter={row['slug']}")
    get_json(client, "/api/reporters/no-one/", status=404)


def test_topics_list_counts(ingested_samples, client):
    data = get_json(client, "/api/topics/")
    assert data["count"] == Topic.objects.count()
    economy = next(item for item in data["results"] if item["name"] == "经济")
    assert economy["article_count"] == Topic.objects.get(name="经济").articles.count()


def test_only_get_is_allowed(db, client):
    assert client.post("/api/articles/").status_code == 405


def test_api_listings_keep_a_bounded_number_of_queries(ingested_samples, client, django_assert_max_num_queries):
    issue = f"/api/papers/{Newspaper.objects.get().slug}/issues/2024-01-12/"
    for url in ("/api/articles/", "/api/issues/", "/api/papers/", "/api/reporters/", "/api/topics/", issue):
        cache.clear()
        with django_assert_max_num_queries(8):
            assert client.get(url, {"page_size": 100} if url.endswith("s/") else {}).status_code == 200
