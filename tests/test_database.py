"""What may differ between SQLite and PostgreSQL, checked on whichever the
suite runs on (`make test` is SQLite, `make test-postgres` PostgreSQL):
ordering of Chinese names, case-insensitive search over Chinese and Latin
text (admin-style), text lookups inside JSON fields, JSON round trips."""

from __future__ import annotations

import datetime
import os

import pytest
from django.contrib import admin
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory

from archive.models import Article, Issue, Reporter
from tests.factories import ArticleFactory, IssueFactory

pytestmark = pytest.mark.django_db

# Names whose pinyin order (a, l, w, z) is not their code point order.
NAMES_IN_PINYIN_ORDER = ["阿明", "李四", "王五", "张三"]


@pytest.fixture
def articles():
    issue = IssueFactory(publication_date=datetime.date(2024, 1, 12))
    return {
        "gdp": ArticleFactory(
            issue=issue,
            position=1,
            headline="全市GDP增长6.5%",
            paragraphs=["呼和浩特市统计局发布数据，全市GDP同比增长6.5%。", "乳业、新能源贡献最大。"],
            keywords=["经济", "GDP"],
        ),
        "snow": ArticleFactory(
            issue=issue,
            position=2,
            headline="大青山迎来今冬首场降雪",
            paragraphs=["记者从气象部门获悉，大青山一带普降中雪。", "Snow Report：道路结冰，注意出行安全。"],
            keywords=["天气"],
        ),
        "culture": ArticleFactory(
            issue=issue,
            position=3,
            headline="昭君博物院推出新展",
            paragraphs=["展览以“和合”为主题，展出文物两百余件。"],
            keywords=["文化", "博物馆"],
        ),
    }


def database_collation() -> str | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


# --- ordering ---------------------------------------------------------------


def test_reporters_are_listed_in_pinyin_order_on_every_backend():
    for name in reversed(NAMES_IN_PINYIN_ORDER):
        Reporter.objects.create(name=name)
    # The default ordering and the explicit one the reporter index uses.
    assert [r.name for r in Reporter.objects.all()] == NAMES_IN_PINYIN_ORDER
    assert [r.name for r in Reporter.objects.order_by("slug")] == NAMES_IN_PINYIN_ORDER
    assert [r.slug for r in Reporter.objects.all()] == ["a-ming", "li-si", "wang-wu", "zhang-san"]
    assert [r.name for r in Reporter.objects.with_initial("z")] == ["张三"]


def test_ordering_by_the_chinese_name_itself_is_not_pinyin_order():
    """Why listings sort by the pinyin slug: the database orders characters by
    its collation (code point in SQLite and in a C/C.UTF-8 PostgreSQL, as the
    test cluster and the compose file create it), which is not pinyin."""
    for name in NAMES_IN_PINYIN_ORDER:
        Reporter.objects.create(name=name)
    by_name = [r.name for r in Reporter.objects.order_by("name")]
    assert by_name != NAMES_IN_PINYIN_ORDER
    collation = database_collation()
    if collation is None or collation in {"C", "POSIX", "C.UTF-8", "C.utf8"}:
        assert by_name == sorted(NAMES_IN_PINYIN_ORDER)


# --- case-insensitive search -----------------------------------------------


class HeadlineAndBodySearch(admin.ModelAdmin):
    """The lookups Django admin builds for search_fields, independent of
    how the archive's admin is configured."""

    search_fields = ["headline", "paragraphs"]


def admin_search(model_admin, term: str) -> set[int]:
    request = RequestFactory().get("/admin/archive/article/", {"q": term})
    queryset, _duplicates = model_admin.get_search_results(request, Article.objects.all(), term)
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("GDP", {"gdp"}),
        ("gdp", {"gdp"}),  # Latin letters match in any case
        ("Gdp 增长", {"gdp"}),  # every word must match somewhere
        ("呼和浩特", {"gdp"}),  # Chinese in the JSON list of paragraphs
        ("降雪", {"snow"}),  # Chinese in the headline
        ("snow report", {"snow"}),  # mixed case inside a paragraph
        ("“和合”", {"culture"}),  # full-width quotes stored as characters
        ("博物院", {"culture"}),
        ("上海", set()),
    ],
)
def test_admin_style_search_is_case_insensitive_and_finds_chinese(articles, term, expected):
    found = admin_search(HeadlineAndBodySearch(Article, admin.site), term)
    assert found == {articles[key].pk for key in expected}


def test_the_archive_admin_search_finds_chinese_and_latin_in_any_case(articles):
    model_admin = admin.site._registry.get(Article)
    if model_admin is None or not model_admin.search_fields:
        pytest.skip("the archive's admin does not search articles")
    assert articles["gdp"].pk in admin_search(model_admin, "gdp")
    assert articles["snow"].pk in admin_search(model_admin, "大青山")


def test_icontains_inside_json_lists(articles):
    assert set(Article.objects.filter(paragraphs__icontains="中雪")) == {articles["snow"]}
    assert set(Article.objects.filter(keywords__icontains="博物馆")) == {articles["culture"]}
    assert set(Article.objects.filter(keywords__icontains="gdp")) == {articles["gdp"]}
    assert not Article.objects.filter(paragraphs__icontains="\\u").exists()


# --- JSON round trips -------------------------------------------------------


def test_json_fields_round_trip_exactly():
    paragraphs = [
        "“引号”、‘单引号’与「直角引号」",
        'ASCII "quotes" and a back\\slash',
        "换行\n与制表\t符",
        "全角ＡＢＣ１２３与半角ABC123",
        "𠀀 扩展B区汉字与表情😀",
        "",
    ]
    issue = IssueFactory(
        publication_date=datetime.date(1987, 6, 2), unassigned=["版面说明", {"line": 3, "text": "残行"}]
    )
    article = ArticleFactory(issue=issue, position=1, headline="测试", paragraphs=paragraphs, keywords=["一", "二"])
    article.edited_fields = ["headline", "keywords"]
    article.save()

    stored = Article.objects.get(pk=article.pk)
    assert stored.paragraphs == paragraphs
    assert stored.keywords == ["一", "二"]
    assert stored.edited_fields == ["headline", "keywords"]
    assert stored.body == "\n\n".join(paragraphs)
    assert Issue.objects.get(pk=issue.pk).unassigned == ["版面说明", {"line": 3, "text": "残行"}]


def test_chinese_is_stored_as_characters_not_escapes():
    issue = IssueFactory(publication_date=datetime.date(2023, 5, 25))
    article = ArticleFactory(issue=issue, position=1, paragraphs=["呼和浩特"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT paragraphs FROM {Article._meta.db_table} WHERE id = %s",
            [article.pk],
        )
        raw = cursor.fetchone()[0]
    text = raw if isinstance(raw, str) else str(raw)
    assert "呼和浩特" in text
    assert "\\u547c" not in text


# --- dates and constraints --------------------------------------------------


def test_counting_articles_by_year(articles):
    older = IssueFactory(publication_date=datetime.date(1998, 11, 20))
    ArticleFactory(issue=older, position=1, headline="旧闻")
    counts = {row["year"]: row["count"] for row in Article.objects.count_by_year()}
    assert counts == {1998: 1, 2024: 3}
    assert list(Article.objects.in_year(1998).values_list("headline", flat=True)) == ["旧闻"]


def test_one_article_per_position_in_an_issue(articles):
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(issue=articles["gdp"].issue, position=1, headline="重复")


def test_the_suite_runs_on_the_database_named_by_database_url():
    """`make test-postgres` must really exercise PostgreSQL, not fall back."""
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
