"""The editors' admin, driven through the Django test client, and the editing
services it calls: corrections reach the database, the history, the search
index and the public pages at once, and survive a re-parse."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import threading

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from haystack import connections
from whoosh.util.filelock import FcntlLock

from archive import editing, search
from archive.ingest import ingest_text, reparse_issue
from archive.models import Article, Byline, BylineRole, Issue, PendingIndex, Reporter, ReporterAlias, Topic
from archive.search.query import search_articles
from tests.conftest import PROJECT_DIR, SAMPLE_FILES

pytestmark = pytest.mark.django_db

PASSWORD = "编辑-correct-horse-9"

# A second worker process holding the index's write lock until told to let go.
# It sets Django up as a worker would: the index's stored schema names the
# archive's own analyzers, which unpickling imports.
LOCK_HOLDER = """
import sys, django
django.setup()
from whoosh.filedb.filestore import FileStorage
writer = FileStorage(sys.argv[1]).open_index().writer()
print("locked", flush=True)
sys.stdin.readline()
writer.cancel()
print("released", flush=True)
"""


# --- helpers ----------------------------------------------------------------


def form_data(response) -> dict:
    """The POST data a browser would send back for an admin form as rendered."""
    data = {}

    def put(form, name):
        field = form.fields[name]
        value = field.prepare_value(form[name].value())
        key = form.add_prefix(name)
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(item) for item in value]
        elif value is None:
            data[key] = ""
        else:
            data[key] = str(value)

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for subform in formset.forms:
            for name in subform.fields:
                put(subform, name)
    return data


def search_ids(query) -> set[int]:
    """Articles the public search finds for ``query``."""
    page = search_articles(query, facets=False, per_page=100)
    assert not page.error, page.error
    return set(page.article_ids)


def filtered_ids(**filters) -> set[int]:
    """Articles the public search lists under a filter (reporter, topic, …)."""
    page = search_articles("", facets=False, per_page=100, **filters)
    assert not page.error, page.error
    return set(page.article_ids)


def reporter_ids(name) -> set[int]:
    return filtered_ids(reporter=name)


def change_url(article):
    return reverse("admin:archive_article_change", args=[article.pk])


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("chief", "chief@example.org", PASSWORD)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def editor(db):
    editing.ensure_editor_group()
    user = User.objects.create_user("editor", "editor@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=editing.EDITOR_GROUP))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def samples(ingested_samples):
    cache.clear()
    yield ingested_samples
    cache.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the code defers to after commit (re-indexing, cache bump) as
    production would; the test's own transaction never commits."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def edit_article(client, commit, article, **changes):
    url = change_url(article)
    data = form_data(client.get(url))
    data.update(changes)
    return commit(client.post, url, data)


def first_news_article():
    return Article.objects.exclude(headline="").filter(bylines__isnull=False).order_by("pk").first()


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


# --- history and revert -----------------------------------------------------


def test_history_lists_the_edit_and_revert_restores_fields_topics_and_bylines(admin_client, commit, samples):
    article = first_news_article()
    original = {
        "headline": article.headline,
        "topics": set(article.topics.values_list("pk", flat=True)),
        "bylines": list(article.bylines.values_list("reporter_id", "role")),
    }
    extra_topic = Topic.objects.exclude(pk__in=original["topics"]).first()
    data = form_data(admin_client.get(change_url(article)))
    data.update(headline="改错了的标题", topics=[*data["topics"], str(extra_topic.pk)])
    data["bylines-0-DELETE"] = "on"
    assert commit(admin_client.post, change_url(article), data).status_code == 302
    assert article.bylines.count() == len(original["bylines"]) - 1
    before = article.history.all()[1]  # the version just before the edit

    history = admin_client.get(reverse("admin:archive_article_history", args=[article.pk]))
    html = history.content.decode()
    assert "改错了的标题" in html and "chief" in html

    revert_url = reverse("admin:archive_article_simple_history", args=[article.pk, before.history_id])
    form_page = admin_client.get(revert_url)
    assert form_page.status_code == 200
    revert = form_data(form_page)
    assert revert["headline"] == original["headline"]
    assert set(map(int, revert["topics"])) == original["topics"]
    assert commit(admin_client.post, revert_url, revert).status_code == 302

    article.refresh_from_db()
    assert article.headline == original["headline"]
    assert set(article.topics.values_list("pk", flat=True)) == original["topics"]
    assert list(article.bylines.values_list("reporter_id", "role")) == original["bylines"]
    assert "恢复到" in article.history.first().history_change_reason
    assert article.pk in search_ids(original["headline"])
    assert article.pk not in search_ids("改错了的标题")


def test_reverting_to_an_ingest_version_keeps_todays_topics_and_bylines(admin_client, commit, samples):
    article = first_news_article()
    ingest_version = article.history.filter(history_change_reason__isnull=True).first()
    bylines = list(article.bylines.values_list("reporter_id", "role"))
    assert edit_article(admin_client, commit, article, headline="临时标题").status_code == 302
    url = reverse("admin:archive_article_simple_history", args=[article.pk, ingest_version.history_id])
    response = commit(admin_client.post, url, form_data(admin_client.get(url)), follow=True)
    assert "不含主题和署名" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == ingest_version.headline
    assert list(article.bylines.values_list("reporter_id", "role")) == bylines


def test_a_save_waits_for_another_workers_index_write_instead_of_failing(admin_client, commit, samples, monkeypatch):
    """Another process (a second gunicorn worker) holds the Whoosh write lock
    while an editor saves: the save waits for it, then re-indexes; searches
    keep answering meanwhile. The other worker lets go only once the save has
    found the lock taken, so the test waits on that, not on a clock."""
    index_dir = os.path.realpath(connections["default"].get_backend().path)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, index_dir],
        cwd=PROJECT_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    save_found_the_lock_taken = threading.Event()
    acquire = FcntlLock.acquire

    def watched_acquire(lock, blocking=False):
        acquired = acquire(lock, blocking)
        if not acquired:
            save_found_the_lock_taken.set()
        return acquired

    def release_once_the_save_waits():
        save_found_the_lock_taken.wait(timeout=120)  # a safety net: the assertion below tells
        holder.stdin.write("release\n")
        holder.stdin.flush()

    releaser = threading.Thread(target=release_once_the_save_waits, daemon=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        article = first_news_article()
        assert article.pk in search_ids(article.headline)  # reading is not blocked by the lock
        monkeypatch.setattr(FcntlLock, "acquire", watched_acquire)
        releaser.start()
        response = edit_article(admin_client, commit, article, headline="另一进程写索引时保存的标题")
        monkeypatch.undo()
        assert save_found_the_lock_taken.is_set()  # the save met the other writer's lock…
        assert response.status_code == 302  # …waited, and went through once it was released
        assert holder.stdout.readline().strip() == "released"
    finally:
        if releaser.is_alive():
            save_found_the_lock_taken.set()
            releaser.join(timeout=30)
        elif not releaser.ident:
            holder.kill()
        holder.wait(timeout=60)
    assert holder.returncode == 0
    assert article.pk in search_ids("另一进程写索引时保存的标题")


# --- reporters --------------------------------------------------------------


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


# --- topics and issues ------------------------------------------------------


def test_topic_rename_reindexes_its_articles(admin_client, commit, samples):
    article = Article.objects.filter(primary_topic__isnull=False).order_by("pk").first()
    topic = article.primary_topic
    url = reverse("admin:archive_topic_change", args=[topic.pk])
    data = form_data(admin_client.get(url))
    data["name"] = "城市建设新"
    assert commit(admin_client.post, url, data).status_code == 302
    assert article.pk in filtered_ids(topic="城市建设新")
    assert Topic.objects.get(pk=topic.pk).slug == topic.slug


def test_issue_date_correction_moves_its_articles(admin_client, commit, samples):
    issue = Issue.objects.order_by("publication_date").first()
    ids = set(issue.articles.values_list("pk", flat=True))
    new_date = issue.publication_date - datetime.timedelta(days=3)
    url = reverse("admin:archive_issue_change", args=[issue.pk])
    data = form_data(admin_client.get(url))
    data["publication_date"] = new_date.isoformat()
    assert commit(admin_client.post, url, data).status_code == 302
    issue.refresh_from_db()
    assert issue.publication_date == new_date and issue.date_inferred is False
    assert set(Article.objects.published_on(new_date).values_list("pk", flat=True)) == ids
    assert admin_client.get(issue.get_absolute_url()).status_code == 200
    indexed = filtered_ids(date_from=new_date, date_to=new_date)
    assert indexed == ids
    assert "更正日期" in issue.history.first().history_change_reason


def test_issue_date_taken_by_another_issue_is_refused(admin_client, samples):
    first, second = Issue.objects.order_by("publication_date")
    url = reverse("admin:archive_issue_change", args=[first.pk])
    data = form_data(admin_client.get(url))
    data["publication_date"] = second.publication_date.isoformat()
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    with pytest.raises(editing.EditingError, match="已有一期"):
        editing.change_issue_date(first, second.publication_date)


# --- bulk actions -----------------------------------------------------------


def test_set_topic_action_asks_then_applies(admin_client, commit, samples):
    articles = list(Article.objects.order_by("pk")[:3])
    topic = Topic.objects.get(name="体育")
    url = reverse("admin:archive_article_changelist")
    selection = {"action": "set_topic_action", "_selected_action": [str(a.pk) for a in articles]}
    asked = admin_client.post(url, selection)
    assert asked.status_code == 200 and "设置主要主题" in asked.content.decode()
    done = commit(admin_client.post, url, {**selection, "apply": "yes", "topic": str(topic.pk)})
    assert done.status_code == 302
    for article in articles:
        article.refresh_from_db()
        assert article.primary_topic == topic
        assert article.topics.filter(pk=topic.pk).exists()
        assert "topics" in article.edited_fields
    indexed = filtered_ids(topic="体育")
    assert {a.pk for a in articles} <= indexed


def test_changes_to_many_articles_are_queued_for_the_drainer(admin_client, commit, samples, monkeypatch):
    """A change to more articles than a request re-indexes leaves them in the
    durable queue (no thread of the web worker), and the drainer applies them."""
    monkeypatch.setattr(editing, "INLINE_INDEX_LIMIT", 3)
    topic = Topic.objects.get(name="体育")
    ids = set(Article.objects.values_list("pk", flat=True))
    assert len(ids) > 3 and filtered_ids(topic="体育") != ids
    url = reverse("admin:archive_article_changelist")
    selection = {"action": "set_topic_action", "_selected_action": [str(pk) for pk in ids]}
    response = commit(admin_client.post, url, {**selection, "apply": "yes", "topic": str(topic.pk)})
    assert response.status_code == 302
    assert set(PendingIndex.objects.values_list("article_id", flat=True)) == ids
    assert filtered_ids(topic="体育") != ids
    search.drain_queue()
    assert not PendingIndex.objects.exists()
    assert filtered_ids(topic="体育") == ids


def test_mark_reviewed_action(admin_client, samples):
    articles = list(Article.objects.order_by("pk")[:2])
    url = reverse("admin:archive_article_changelist")
    admin_client.post(url, {"action": "mark_reviewed", "_selected_action": [str(a.pk) for a in articles]})
    assert Article.objects.filter(reviewed=True).count() == 2
    assert Article.objects.get(pk=articles[0].pk).history.first().history_change_reason == "标记为已审核"
    admin_client.post(url, {"action": "mark_unreviewed", "_selected_action": [str(articles[0].pk)]})
    assert Article.objects.filter(reviewed=True).count() == 1


def test_needs_review_list_holds_the_doubted_articles_until_marked_reviewed(admin_client):
    path = PROJECT_DIR / "tests" / "data" / "real" / "tuned" / "rmrb_1984-10-17_p1.txt"
    ingest_text(path.read_text(encoding="utf-8"), source_name=path.name)
    doubted = set(Article.objects.exclude(doubts=[]).values_list("pk", flat=True))
    assert doubted and doubted != set(Article.objects.values_list("pk", flat=True))
    url = reverse("admin:archive_article_changelist")

    def listed():
        response = admin_client.get(url, {"doubts": "open"})
        assert response.status_code == 200
        return {article.pk for article in response.context["cl"].result_list}

    assert listed() == doubted
    page = admin_client.get(url, {"doubts": "open"}).content.decode()
    assert "解析存疑" in page and "分篇依据不足" in page
    first = min(doubted)
    admin_client.post(url, {"action": "mark_reviewed", "_selected_action": [str(first)]})
    assert listed() == doubted - {first}
    # The reasons stay on the article for the record; only the list is worked through.
    assert Article.objects.get(pk=first).doubts


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


# --- permissions, logins, production settings ------------------------------


def test_setup_editors_command_is_idempotent(db, capsys):
    call_command("setup_editors")
    call_command("setup_editors")
    group = Group.objects.get(name="editor")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_article", "change_reporter", "delete_reporter", "change_topic", "change_issue"} <= codenames
    assert "view_historicalarticle" in codenames
    assert not {c for c in codenames if c.endswith("_user") or c.endswith("_group")}
    assert 'group "editor"' in capsys.readouterr().out


def test_editor_can_correct_articles_but_not_manage_users(editor_client, commit, samples, editor):
    article = first_news_article()
    response = edit_article(editor_client, commit, article, headline="编辑组成员改的标题")
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).headline == "编辑组成员改的标题"
    assert Article.objects.get(pk=article.pk).history.first().history_user == editor
    assert editor_client.get(reverse("admin:archive_article_history", args=[article.pk])).status_code == 200
    assert editor_client.get(reverse("admin:archive_reporter_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:archive_topic_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_user_change", args=[editor.pk])).status_code == 403
    assert editor_client.get(reverse("admin:archive_article_delete", args=[article.pk])).status_code == 403
    # A reporter with bylines is merged, not deleted; one without may go.
    signed = article.bylines.first().reporter
    assert editor_client.get(reverse("admin:archive_reporter_delete", args=[signed.pk])).status_code == 403
    unsigned = Reporter.objects.create(name="无署名")
    delete_url = reverse("admin:archive_reporter_delete", args=[unsigned.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Reporter.objects.filter(pk=unsigned.pk).exists()


def test_staff_without_the_group_cannot_edit(client, samples):
    user = User.objects.create_user("visitor", password=PASSWORD, is_staff=True)
    client.force_login(user)
    article = first_news_article()
    assert client.get(change_url(article)).status_code == 403


def test_admin_logins_are_rate_limited(client, superuser, settings):
    settings.AXES_FAILURE_LIMIT = 3
    login = reverse("admin:login")
    for _attempt in range(3):
        client.post(login, {"username": "chief", "password": "wrong"})
    locked = client.post(login, {"username": "chief", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_good_login_works(client, superuser):
    response = client.post(
        reverse("admin:login"), {"username": "chief", "password": PASSWORD, "next": "/admin/"}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].is_authenticated


def test_production_settings_send_admin_cookies_over_https_only():
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "a-production-like-secret-key-for-the-test-only-0123456789",
        "DEBUG": "0",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True", "True", "True"]


def test_login_limits_count_each_reader_behind_the_proxy(client, superuser, settings):
    """Behind a proxy every request comes from the proxy's address: one
    stranger's failures must not lock out an editor at another address, and a
    forged X-Forwarded-For entry must not buy a fresh count."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    login = reverse("admin:login")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for attempt in range(3):
        forged = f"198.51.100.{attempt}, 203.0.113.9"
        client.post(login, {"username": "chief", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forged, **proxy)
    stranger = client.post(
        login, {"username": "chief", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy
    )
    assert stranger.status_code == 429

    editor = Client()
    response = editor.post(
        login,
        {"username": "chief", "password": PASSWORD, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR="192.0.2.7",
        **proxy,
    )
    assert response.status_code == 302
    assert "_auth_user_id" in editor.session
