"""The article list and an editor's corrections of one article, through the
admin's change form: what they change is saved, remembered as edited (so a
re-parse keeps it), recorded in the history, indexed and published at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from archive.models import Article, BylineRole, Reporter, Topic
from tests.admin_pages import change_url, edit_article, first_news_article, form_data, reporter_ids, search_ids

pytestmark = pytest.mark.django_db


# --- the article list -------------------------------------------------------


def test_article_list_shows_columns_filters_and_finds_by_headline_and_body(admin_client, samples):
    article = first_news_article()
    url = reverse("admin:archive_article_changelist")
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("标题", "出版日期", "体裁", "主要主题", "记者", "已审核"):
        assert label in html
    assert article.bylines.first().reporter.name in html

    year = article.issue.publication_date.year
    for query in (
        {"kind__exact": article.kind},
        {"reviewed__exact": "0"},
        {"issue__publication_date__year": str(year)},
        {"primary_topic__id__exact": str(article.primary_topic_id)} if article.primary_topic_id else {},
        {"section__id__exact": str(article.section_id)} if article.section_id else {},
    ):
        response = admin_client.get(url, query)
        assert response.status_code == 200, query
        assert article.pk in [row.pk for row in response.context["cl"].result_list]

    by_headline = admin_client.get(url, {"q": article.headline[:6]})
    assert article.pk in [row.pk for row in by_headline.context["cl"].result_list]
    body_words = article.paragraphs[-1][5:13]
    assert body_words not in article.headline
    by_body = admin_client.get(url, {"q": body_words})
    assert article.pk in [row.pk for row in by_body.context["cl"].result_list]
    nowhere = admin_client.get(url, {"q": "这句话不在任何一篇文章里"})
    assert list(nowhere.context["cl"].result_list) == []

    reviewed = admin_client.get(url, {"reviewed__exact": "1"})
    assert list(reviewed.context["cl"].result_list) == []


def test_change_form_shows_the_printed_text_escaped_beside_the_form(admin_client, samples):
    article = first_news_article()
    Article.objects.filter(pk=article.pk).update(source_text="标题行\n<script>alert('x')</script>正文")
    html = admin_client.get(change_url(article)).content.decode()
    assert 'class="archive-source-panel"' in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;正文" in html
    assert "<script>alert" not in html
    assert "admin/archive.css" in html
    # The reporter field of the bylines is an autocomplete.
    assert "admin-autocomplete" in html


# --- editing an article -----------------------------------------------------


def test_headline_fix_is_saved_remembered_recorded_indexed_and_published(admin_client, commit, samples, superuser):
    article = first_news_article()
    old_headline = article.headline
    public = article.get_absolute_url()
    assert old_headline in admin_client.get(public).content.decode()  # now cached
    versions = set(article.history.values_list("history_id", flat=True))
    new_headline = "青城街巷新添百座口袋公园"
    assert article.pk not in search_ids(new_headline)

    response = edit_article(admin_client, commit, article, headline=new_headline)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors

    article.refresh_from_db()
    assert article.headline == new_headline
    assert article.edited_fields == ["headline"]
    # One history record per save, with who and what; before it, if the
    # newest version lacked the bylines ingest wrote, the state before the edit.
    added = list(article.history.exclude(history_id__in=versions))
    latest = added[0]
    assert [record.history_user for record in added[1:]] in ([], [None])
    assert added[-1].reporters.count() == article.bylines.count()
    assert latest.history_user == superuser
    assert latest.headline == new_headline
    assert latest.history_change_reason == "编辑：标题"
    assert latest.reporters.count() == article.bylines.count()
    # The search index and the (cached) public page follow at once.
    assert article.pk in search_ids(new_headline)
    assert new_headline in admin_client.get(public).content.decode()


def test_topics_keywords_body_and_bylines_count_as_edited(admin_client, commit, samples):
    article = first_news_article()
    other_topic = Topic.objects.exclude(pk=article.primary_topic_id).order_by("position").first()
    body = "\n".join(["第一段改正后的文字。", "", "第二段。"])
    response = edit_article(
        admin_client,
        commit,
        article,
        primary_topic=str(other_topic.pk),
        keywords="口袋公园、城市更新, 绿地",
        paragraphs=body,
        **{"bylines-0-role": BylineRole.CORRESPONDENT},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.primary_topic == other_topic
    assert article.keywords == ["口袋公园", "城市更新", "绿地"]
    assert article.paragraphs == ["第一段改正后的文字。", "第二段。"]
    assert article.bylines.order_by("position", "pk").first().role == BylineRole.CORRESPONDENT
    assert set(article.edited_fields) == {"topics", "keywords", "paragraphs", "bylines"}
    assert article.pk in search_ids("口袋公园")


def test_saving_unchanged_form_marks_nothing_edited(admin_client, commit, samples):
    article = first_news_article()
    response = edit_article(admin_client, commit, article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.edited_fields == []


def test_adding_a_byline_with_autocomplete_reporter(admin_client, commit, samples):
    article = first_news_article()
    newcomer = Reporter.objects.create(name="新记者")
    lookup = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "新记", "app_label": "archive", "model_name": "byline", "field_name": "reporter"},
    )
    assert lookup.status_code == 200
    assert [item["text"] for item in lookup.json()["results"]] == ["新记者"]

    url = change_url(article)
    data = form_data(admin_client.get(url))
    index = int(data["bylines-TOTAL_FORMS"]) - 1  # the empty extra form
    data[f"bylines-{index}-reporter"] = str(newcomer.pk)
    data[f"bylines-{index}-role"] = BylineRole.PHOTOGRAPHER
    data[f"bylines-{index}-position"] = "5"
    assert commit(admin_client.post, url, data).status_code == 302
    assert article.bylines.filter(reporter=newcomer, role=BylineRole.PHOTOGRAPHER).exists()
    assert "bylines" in Article.objects.get(pk=article.pk).edited_fields
    assert article.pk in reporter_ids("新记者")


def test_a_duplicate_byline_is_a_form_error_not_a_crash(admin_client, commit, samples):
    article = first_news_article()
    byline = article.bylines.first()
    url = change_url(article)
    data = form_data(admin_client.get(url))
    index = int(data["bylines-TOTAL_FORMS"]) - 1
    data[f"bylines-{index}-reporter"] = str(byline.reporter_id)
    data[f"bylines-{index}-role"] = byline.role
    response = commit(admin_client.post, url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert article.bylines.count() == Article.objects.get(pk=article.pk).bylines.count()


def test_articles_cannot_be_added_by_hand(admin_client, samples):
    assert admin_client.get(reverse("admin:archive_article_add")).status_code == 403
