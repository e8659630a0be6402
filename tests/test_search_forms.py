"""The advanced search form writes the search box's own syntax; 标题:word
limits a word to headlines; the date box with no issue that day."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from archive.models import Article
from archive.search.query import search_articles

# The same results on every engine (see tests/test_search_queries.py).
pytestmark = pytest.mark.every_search_engine


def found(query, **filters) -> set[int]:
    page = search_articles(query, facets=False, per_page=100, **filters)
    assert not page.error, page.error
    return set(page.article_ids)


def headline_text(article) -> str:
    return " ".join((article.kicker, article.title, article.subtitle))


@pytest.mark.parametrize("prefix", ["标题:", "标题：", "title:"])
def test_a_title_term_finds_only_headlines_that_hold_it(ingested_samples, prefix):
    in_headline = {a.pk for a in Article.objects.all() if "发展" in headline_text(a)}
    anywhere = found("发展")
    assert in_headline and anywhere > in_headline, "the samples must mention 发展 outside headlines too"
    assert found(f"{prefix}发展") == in_headline


def test_a_title_term_excludes_and_combines_like_any_other(ingested_samples):
    in_headline = {a.pk for a in Article.objects.all() if "发展" in headline_text(a)}
    assert found("发展 -标题:发展") == found("发展") - in_headline


def test_the_advanced_form_writes_the_boxs_query_and_filters(ingested_samples, client):
    response = client.get(
        "/search/advanced/",
        {
            "title": "民政",
            "all": "养老 服务",
            "phrase": "社会救助",
            "any": "低保 特困",
            "exclude": "体育",
            "reporter": "耿欣",
            "kind": "news",
            "from": "2024-01-01",
            "to": "2024-12-31",
        },
    )
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/search/"
    params = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert params == {
        "q": '标题:民政 养老 服务 "社会救助" 低保 OR 特困 -体育',
        "reporter": "耿欣",
        "kind": "news",
        "from": "2024-01-01",
        "to": "2024-12-31",
    }
    # The box finds with that query what the form asked for.
    results = client.get(response["Location"])
    assert results.status_code == 200
    article = Article.objects.get(headline="我区民政事业高质量发展取得新成效")
    assert article.get_absolute_url() in results.content.decode()


def test_the_advanced_form_with_filters_only_lists_everything_they_match(ingested_samples, client):
    response = client.get("/search/advanced/", {"kind": "photo"})
    params = parse_qs(urlsplit(response["Location"]).query)
    assert params == {"q": ["*"], "kind": ["photo"]}


def test_the_empty_advanced_form_is_shown(db, client):
    page = client.get("/search/advanced/").content.decode()
    for label in ("标题中含有", "报纸", "记者", "栏目/版面", "体裁", "起始日期", "结束日期"):
        assert label in page


def test_the_advanced_form_offers_the_titles_and_filters_by_one(ingested_samples, client):
    from archive.models import Newspaper

    paper = Newspaper.objects.order_by("pk").first()
    form = client.get("/search/advanced/").content.decode()
    assert f'<option value="{paper.slug}">{paper.name}</option>' in form
    response = client.get("/search/advanced/", {"all": "发展", "paper": paper.slug})
    params = parse_qs(urlsplit(response["Location"]).query)
    assert params == {"q": ["发展"], "paper": [paper.slug]}
    results = client.get(response["Location"])
    assert results.status_code == 200
    assert set(results.context["result"].article_ids) <= set(
        Article.objects.filter(paper=paper).values_list("pk", flat=True)
    )
