"""Reporters in the admin: article counts, merging an OCR variant into the
real reporter (bylines, aliases, history and search follow), and renaming
one (the old name becomes an alias, the address stays)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from archive import editing, search
from archive.models import Article, Byline, BylineRole, Reporter, ReporterAlias
from tests.admin_pages import form_data, reporter_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def variant(samples):
    """An OCR variant of a real reporter, signing one article alone and one
    article next to the real name in the same role."""
    real = Reporter.objects.with_stats().order_by("-article_count", "pk").first()
    articles = list(Article.objects.by_reporter(real).order_by("pk"))
    variant = Reporter.objects.create(name=real.name[:-1] + "化")
    shared = articles[0]
    Byline.objects.create(article=shared, reporter=variant, role=BylineRole.REPORTER, position=9)
    alone = Article.objects.exclude(bylines__reporter=real).order_by("pk").first()
    Byline.objects.create(article=alone, reporter=variant, role=BylineRole.REPORTER, position=0)
    return real, variant, shared, alone


def test_reporter_list_shows_article_counts(admin_client, samples):
    reporter = Reporter.objects.with_stats().order_by("-article_count").first()
    response = admin_client.get(reverse("admin:archive_reporter_changelist"))
    row = next(r for r in response.context["cl"].result_list if r.pk == reporter.pk)
    assert row.article_count == Article.objects.by_reporter(reporter).count() >= 1
    assert "文章数" in response.content.decode()


def test_merge_action_confirms_then_moves_bylines_and_reindexes(admin_client, commit, variant, superuser):
    real, variant_reporter, shared, alone = variant
    commit(editing.refresh_public_copies, [shared.pk, alone.pk])
    search.drain_queue()
    assert alone.pk in reporter_ids(variant_reporter.name)
    shared_bylines, alone_bylines = shared.bylines.count(), alone.bylines.count()
    url = reverse("admin:archive_reporter_changelist")
    selection = {"action": "merge_selected", "_selected_action": [str(real.pk), str(variant_reporter.pk)]}

    confirmation = admin_client.post(url, selection)
    assert confirmation.status_code == 200
    assert confirmation.templates[0].name == "admin/archive/reporter/merge_confirmation.html"
    html = confirmation.content.decode()
    assert real.name in html and variant_reporter.name in html
    assert Reporter.objects.filter(pk=variant_reporter.pk).exists()  # nothing happens before confirming

    done = commit(admin_client.post, url, {**selection, "confirm": "yes", "kept": str(real.pk)})
    assert done.status_code == 302
    assert not Reporter.objects.filter(pk=variant_reporter.pk).exists()
    assert list(shared.bylines.filter(reporter=real).values_list("role", "position")) == [
        (BylineRole.REPORTER, shared.bylines.get(reporter=real).position)
    ]
    assert alone.bylines.filter(reporter=real).exists()
    assert ReporterAlias.objects.get(name=variant_reporter.name).reporter == real
    assert Reporter.objects.for_byline_name(variant_reporter.name).first() == real
    for article, bylines_before in ((shared, shared_bylines), (alone, alone_bylines)):
        article.refresh_from_db()
        assert "bylines" in article.edited_fields
        latest, before = article.history.all()[:2]
        assert latest.history_user == superuser
        assert "合并记者" in latest.history_change_reason
        # Each version holds the topics and bylines of its moment.
        assert sorted(latest.reporters.values_list("reporter_id", "role", "position")) == sorted(
            article.bylines.values_list("reporter_id", "role", "position")
        )
        assert set(latest.topics.values_list("topic_id", flat=True)) == set(article.topics.values_list("pk", flat=True))
        assert before.reporters.count() == bylines_before
    assert variant_reporter.history.first().history_type == "-"
    assert reporter_ids(variant_reporter.name) == set()
    assert {shared.pk, alone.pk} <= reporter_ids(real.name)


def test_merge_needs_two_reporters_and_a_choice(admin_client, commit, variant):
    real, variant_reporter, _shared, _alone = variant
    url = reverse("admin:archive_reporter_changelist")
    one = admin_client.post(url, {"action": "merge_selected", "_selected_action": [str(real.pk)]}, follow=True)
    assert "至少选择两位记者" in one.content.decode()
    no_choice = admin_client.post(
        url,
        {"action": "merge_selected", "_selected_action": [str(real.pk), str(variant_reporter.pk)], "confirm": "yes"},
    )
    assert no_choice.status_code == 200
    assert "请选择要保留的记者" in no_choice.content.decode()
    assert Reporter.objects.filter(pk=variant_reporter.pk).exists()


def test_versions_naming_a_merged_reporter_stay_revertible(commit, variant):
    real, variant_reporter, _shared, alone = variant
    with editing.one_history_record(alone, reason="署名含异写"):
        pass
    version = alone.history.first()
    then = [row.reporter_id for row in version.reporters.order_by("position", "m2m_history_id")]
    assert variant_reporter.pk in then
    variant_pk = variant_reporter.pk
    commit(editing.merge_reporters, real, [variant_reporter])
    Byline.objects.filter(article=alone).delete()

    version = alone.history.get(history_id=version.history_id)
    result = commit(editing.revert_article, version.instance, version)
    assert result.relations_restored and result.missing_reporters == []
    expected = [real.pk if pk == variant_pk else pk for pk in then]
    assert list(alone.bylines.order_by("position", "pk").values_list("reporter_id", flat=True)) == expected


def test_rename_reporter_keeps_slug_and_old_name_as_alias(admin_client, commit, samples):
    reporter = Reporter.objects.with_stats().order_by("-article_count", "pk").first()
    old_name, slug = reporter.name, reporter.slug
    url = reverse("admin:archive_reporter_change", args=[reporter.pk])
    data = form_data(admin_client.get(url))
    data["name"] = old_name + "明"
    assert commit(admin_client.post, url, data).status_code == 302
    reporter.refresh_from_db()
    assert reporter.name == old_name + "明" and reporter.slug == slug
    assert ReporterAlias.objects.get(name=old_name).reporter == reporter
    assert reporter_ids(old_name + "明") == set(Article.objects.by_reporter(reporter).values_list("pk", flat=True))
    page = admin_client.get(reverse("archive:reporter_detail", args=[slug]))
    assert old_name + "明" in page.content.decode()


def test_rename_to_an_existing_name_is_a_form_error(admin_client, samples):
    first, second = Reporter.objects.order_by("pk")[:2]
    url = reverse("admin:archive_reporter_change", args=[first.pk])
    data = form_data(admin_client.get(url))
    data["name"] = second.name
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert Reporter.objects.get(pk=first.pk).name == first.name
