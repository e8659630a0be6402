"""Re-parsing and re-ingesting after an editor's corrections: the fields an
editor changed, and the reporters an editor merged, stay as the editor left
them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive import editing
from archive.ingest import ingest_text, reparse_issue
from archive.models import Article, Issue, Reporter
from tests.admin_pages import edit_article, first_news_article, search_ids
from tests.conftest import SAMPLE_FILES

pytestmark = pytest.mark.django_db


def test_reparse_action_keeps_the_editors_fields(admin_client, commit, samples):
    article = first_news_article()
    parsed_kicker = article.kicker
    edit_article(admin_client, commit, article, headline="编辑改过的标题")
    Article.objects.filter(pk=article.pk).update(kicker="解析器会改回来的引题")
    url = reverse("admin:archive_issue_changelist")
    response = commit(
        admin_client.post, url, {"action": "reparse_action", "_selected_action": [str(article.issue_id)]}, follow=True
    )
    assert "已重新解析 1 期" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "编辑改过的标题"
    assert article.kicker == parsed_kicker


def test_reparse_service_directly(samples):
    article = first_news_article()
    article.headline = "直接改的标题"
    article.edited_fields = ["headline"]
    article.save()
    result = reparse_issue(article.issue)
    article.refresh_from_db()
    assert article.headline == "直接改的标题"
    assert article.pk in result.indexed_ids


# --- re-ingest with --replace after an editor's fix -------------------------


def test_editor_fix_survives_ingest_replace(admin_client, commit, samples, tmp_path):
    source = SAMPLE_FILES[0]
    issue = Issue.objects.get(source_name=source.name)
    article = issue.articles.exclude(headline="").order_by("position").first()
    assert edit_article(admin_client, commit, article, headline="编辑订正后的标题").status_code == 302

    original = source.read_text(encoding="utf-8")
    longest_line = max(article.source_text.splitlines(), key=len)
    altered = original.replace(longest_line, longest_line + "此事已于当日办结。", 1)
    assert altered != original
    changed_file = tmp_path / source.name
    changed_file.write_text(altered, encoding="utf-8")
    call_command(
        "ingest", str(changed_file), "--replace", "--date", issue.publication_date.isoformat(), "--no-progress"
    )

    article.refresh_from_db()
    assert article.headline == "编辑订正后的标题"
    assert any("此事已于当日办结。" in paragraph for paragraph in article.paragraphs)  # the parser's fields update
    assert Issue.objects.get(pk=issue.pk).source_text == altered
    assert article.pk in search_ids("编辑订正后的标题")


def test_merged_variant_stays_merged_after_reingest(db, clean_index, commit, tmp_path):
    """A variant spelling printed in an issue, merged by an editor, does not
    come back when the issue is ingested again with --replace."""
    original = SAMPLE_FILES[1].read_text(encoding="utf-8")
    ingest_text(original, source_name=SAMPLE_FILES[1].name)
    real = Reporter.objects.with_stats().order_by("-article_count", "pk").first()
    assert real.article_count >= 2
    target = Article.objects.by_reporter(real).order_by("-position").first()
    variant_name = real.name[:-1] + "化"
    byline_line = next(line for line in target.source_text.splitlines() if real.name in line)
    misprinted = original.replace(byline_line, byline_line.replace(real.name, variant_name), 1)
    issue = target.issue
    ingest_text(misprinted, source_name=issue.source_name, issue_date=issue.publication_date, replace=True)
    variant = Reporter.objects.get(name=variant_name)
    assert list(target.bylines.values_list("reporter__name", flat=True)) == [variant_name]

    commit(editing.merge_reporters, real, [variant])
    again = misprinted.replace(byline_line[:6], byline_line[:6] + "　", 1)
    assert again != misprinted
    ingest_text(again, source_name=issue.source_name, issue_date=issue.publication_date, replace=True)
    assert not Reporter.objects.filter(name=variant_name).exists()
    assert list(target.bylines.values_list("reporter__name", flat=True)) == [real.name]
    assert Reporter.objects.for_byline_name(variant_name).get() == real
