"""What editors do to the archive: correct articles, merge and rename
reporters, move an issue to its right date, re-parse, revert.

The admin calls these functions; they are plain functions so that tests and
other tools can call them too. Every change that alters what readers see
ends with :func:`refresh_public_copies`, which queues the touched articles
for the search index in the same transaction and makes the cached public
pages stale once it commits. Each article change leaves exactly one history record, carrying the
article's topics and bylines as they are after the change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from archive import indexqueue
from archive.ingest import EDITABLE_FIELDS, IngestError, reparse_issue
from archive.models import Article, Byline, Issue, Newspaper, Reporter, ReporterAlias, Section, Topic, id_batches

logger = logging.getLogger(__name__)

EDITOR_GROUP = "editor"
BASELINE_REASON = "修改前的状态（自动记录）"

# Form fields whose change an editor makes to the given EDITABLE_FIELDS entry.
FIELD_ALIASES = {"primary_topic": "topics", "body": "paragraphs"}

# Permissions of the editor group: (model, actions). No auth model is listed,
# so editors cannot see or change users and groups.
EDITOR_PERMISSIONS = {
    Article: ("view", "change"),
    Byline: ("view", "add", "change", "delete"),
    Reporter: ("view", "add", "change", "delete"),
    ReporterAlias: ("view", "add", "change", "delete"),
    Topic: ("view", "add", "change"),
    Section: ("view", "add", "change"),
    Issue: ("view", "change"),
    Newspaper: ("view", "add", "change"),
}


class EditingError(Exception):
    """An edit that cannot be made; the message is one line for the editor."""


# --- after a change: search index and public pages -------------------------


# Up to this many articles are re-indexed before the editor's response goes
# out (the web layer drains the rows its request queued); more are left to
# the server's index drainer: re-indexing runs at roughly 150-250 articles a
# second, and a merge of a prolific reporter touches tens of thousands.
INLINE_INDEX_LIMIT = 500


def refresh_public_copies(article_ids: Iterable[int] = (), *, removed_ids: Iterable[int] = ()) -> None:
    """Queue ``article_ids`` (changed) and ``removed_ids`` (deleted) for the
    search index in the current transaction, and make cached public pages
    stale once it commits.

    The queue rows commit with the change, so a worker killed after the
    commit cannot leave search behind: the next drain applies them. The web
    layer drains a request's own rows after it (up to ``INLINE_INDEX_LIMIT``);
    the server's drainer takes the rest.
    """
    from archive.caching import bump_cache_generation

    indexqueue.enqueue([*article_ids, *removed_ids])
    transaction.on_commit(bump_cache_generation)


# --- articles ---------------------------------------------------------------


def field_labels(names: Iterable[str]) -> str:
    """Field names as the editor reads them: 标题、署名."""
    labels = []
    for name in names:
        if name == "bylines":
            labels.append("署名")
            continue
        try:
            labels.append(str(Article._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            labels.append(name)
    return "、".join(labels)


def edited_field_names(changed: Iterable[str]) -> set[str]:
    """The EDITABLE_FIELDS names that a set of changed form fields stands for."""
    names = {FIELD_ALIASES.get(name, name) for name in changed}
    return names & set(EDITABLE_FIELDS)


def version_matches(record, article_id: int) -> bool:
    """Whether history version ``record`` holds what is stored now: the
    article's fields, topics and bylines."""
    stored = Article.objects.filter(pk=article_id).first()
    if stored is None:
        return False
    for tracked in record.tracked_fields:
        if getattr(record, tracked.attname) != getattr(stored, tracked.attname):
            return False
    topics_then = set(record.topics.values_list("topic_id", flat=True))
    topics_now = set(stored.topics.values_list("pk", flat=True))
    bylines_then = sorted(record.reporters.values_list("reporter_id", "role", "position"))
    bylines_now = sorted(stored.bylines.values_list("reporter_id", "role", "position"))
    return topics_then == topics_now and bylines_then == bylines_now


def ensure_baseline(article_id: int) -> None:
    """Before an editor's change, make sure the newest version is the state
    being changed, so "revert to the version before my edit" gives it back.

    Ingest writes topics and bylines after the article row, and bulk writes
    leave no record; so the newest version may lack them. Then the stored
    state is recorded first, without a user, as the starting point.
    """
    record = Article.history.filter(id=article_id).order_by("-history_date", "-history_id").first()
    if record is not None and version_matches(record, article_id):
        return
    stored = Article.objects.filter(pk=article_id).first()
    if stored is None:
        return
    stored._history_user = None
    stored._change_reason = BASELINE_REASON
    stored.save()


@contextmanager
def one_history_record(article: Article, *, user=None, reason: str = "", baseline: bool = True):
    """Group several writes (fields, topics, bylines) into one history record.

    Saves and m2m changes inside the block leave no record; on leaving, the
    article is saved once more, which records it with its topics and bylines.
    With ``baseline``, the state before the block is recorded first if the
    newest version does not hold it (see :func:`ensure_baseline`).
    """
    if baseline and article.pk:
        ensure_baseline(article.pk)
    article.skip_history_when_saving = True
    try:
        yield article
    finally:
        del article.skip_history_when_saving
    if user is not None:
        article._history_user = user
    article._change_reason = reason[:100] if reason else None
    article.save()


def mark_edited(article: Article, names: Iterable[str]) -> bool:
    """Remember that an editor changed ``names`` (a re-parse keeps them)."""
    names = edited_field_names(names)
    merged = sorted(set(article.edited_fields) | names)
    if merged == sorted(article.edited_fields):
        return False
    article.edited_fields = merged
    return True


def record_article_edit(article: Article, changed: Iterable[str], *, user=None) -> None:
    """Finish an editor's save of ``article`` whose writes were made with
    ``skip_history_when_saving`` set: remember the edited fields, record one
    history version, refresh the index and pages."""
    changed = set(changed)
    mark_edited(article, changed)
    names = sorted(edited_field_names(changed) | ({"reviewed"} & changed))
    reason = ("编辑：" + field_labels(names)) if names else "编辑"
    # The admin recorded the baseline before its writes began.
    with one_history_record(article, user=user, reason=reason, baseline=False):
        pass
    refresh_public_copies([article.pk])


# --- many articles at once: bulk writes, one version each ------------------


def record_versions(article_ids: Iterable[int], *, user=None, reason: str) -> int:
    """Record one history version of each article as stored now, with its
    topics and bylines.

    A merge of a prolific reporter touches tens of thousands of articles, so
    the rows are copied inside the database (INSERT … SELECT, three
    statements per 500 articles) instead of through Python objects: the
    articles' bodies never leave the database. The versions are the same
    rows simple_history writes on a save.
    """
    history_model = Article.history.model
    topics_model = apps.get_model("archive", "HistoricalArticle_topics")
    bylines_model = apps.get_model("archive", "HistoricalByline")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in history_model.tracked_fields)
    history_table = quote(history_model._meta.db_table)
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    reason = reason[:100]
    user_id = user.pk if user is not None else None
    # The new version of each article: the one with this time and reason.
    version = f"h.{quote('id')} = row.{quote('article_id')} AND h.history_date = %s AND h.history_change_reason = %s"
    count = 0
    with connection.cursor() as cursor:
        for chunk in id_batches(sorted(set(article_ids))):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {history_table} ({columns}, history_date, history_type, history_user_id, "
                f"history_change_reason) SELECT {columns}, %s, %s, %s, %s "
                f"FROM {quote(Article._meta.db_table)} WHERE {quote('id')} IN ({marks})",
                [when, "~", user_id, reason, *chunk],
            )
            count += cursor.rowcount
            cursor.execute(
                f"INSERT INTO {quote(topics_model._meta.db_table)} (id, article_id, topic_id, history_id) "
                f"SELECT row.id, row.article_id, row.topic_id, h.history_id "
                f"FROM {quote(Article.topics.through._meta.db_table)} row JOIN {history_table} h ON {version} "
                f"WHERE row.article_id IN ({marks})",
                [when, reason, *chunk],
            )
            cursor.execute(
                f"INSERT INTO {quote(bylines_model._meta.db_table)} "
                f"(id, article_id, reporter_id, role, position, history_id) "
                f"SELECT row.id, row.article_id, row.reporter_id, row.role, row.position, h.history_id "
                f"FROM {quote(Byline._meta.db_table)} row JOIN {history_table} h ON {version} "
                f"WHERE row.article_id IN ({marks})",
                [when, reason, *chunk],
            )
    return count


def record_baselines(article_ids: Iterable[int]) -> int:
    """The bulk form of :func:`ensure_baseline`: record the stored state of
    each article whose newest version was not written here (ingest's, which
    may lack topics and bylines, or none at all)."""
    history_model = Article.history.model
    newest_reason = (
        history_model.objects.filter(id=OuterRef("pk"))
        .order_by("-history_date", "-history_id")
        .values("history_change_reason")[:1]
    )
    needed = []
    for chunk in id_batches(sorted(set(article_ids))):
        needed += (
            Article.objects.filter(pk__in=chunk)
            .annotate(newest_reason=Subquery(newest_reason))
            .filter(Q(newest_reason__isnull=True) | Q(newest_reason=""))
            .values_list("pk", flat=True)
        )
    return record_versions(needed, reason=BASELINE_REASON)


def _mark_edited_in_bulk(article_ids: Iterable[int], name: str, **values) -> None:
    """Add ``name`` to the edited fields of many articles and set ``values``.

    Articles sharing the same edited fields are updated together: there are
    only a few distinct lists, so this is a handful of UPDATEs per chunk.
    """
    now = timezone.now()
    for chunk in id_batches(sorted(set(article_ids))):
        groups: dict[tuple[str, ...], list[int]] = {}
        for pk, edited in Article.objects.filter(pk__in=chunk).values_list("pk", "edited_fields"):
            merged = tuple(sorted(set(edited or []) | {name}))
            groups.setdefault(merged, []).append(pk)
        for edited, pks in groups.items():
            Article.objects.filter(pk__in=pks).update(edited_fields=list(edited), updated_at=now, **values)


def _ids(articles) -> list[int]:
    if hasattr(articles, "values_list"):
        return list(articles.values_list("pk", flat=True))
    return [article.pk for article in articles]


def set_topic(articles, topic: Topic, *, user=None) -> int:
    """Make ``topic`` the primary topic of each article (and one of its topics)."""
    ids = sorted(set(_ids(articles)))
    link = Article.topics.through
    with transaction.atomic():
        record_baselines(ids)
        _mark_edited_in_bulk(ids, "topics", primary_topic_id=topic.pk)
        for chunk in id_batches(ids):
            have = set(link.objects.filter(article_id__in=chunk, topic=topic).values_list("article_id", flat=True))
            link.objects.bulk_create(link(article_id=pk, topic_id=topic.pk) for pk in chunk if pk not in have)
        record_versions(ids, user=user, reason=f"设置主题：{topic.name}")
        refresh_public_copies(ids)
    return len(ids)


def set_reviewed(articles, reviewed: bool = True, *, user=None) -> int:
    """Mark articles reviewed (or not); one history version each."""
    ids = list(Article.objects.filter(pk__in=_ids(articles)).exclude(reviewed=reviewed).values_list("pk", flat=True))
    with transaction.atomic():
        record_baselines(ids)
        now = timezone.now()
        for chunk in id_batches(ids):
            Article.objects.filter(pk__in=chunk).update(reviewed=reviewed, updated_at=now)
        record_versions(ids, user=user, reason="标记为已审核" if reviewed else "标记为未审核")
        # The index keeps each article's modification time.
        refresh_public_copies(ids)
    return len(ids)


def carries_relations(record) -> bool:
    """Whether a version holds the article's topics and bylines as they were.

    Versions recorded here always do (they carry a reason). Versions written
    by ingest may not: it records the article row before its bylines exist.
    """
    return bool(record.history_change_reason)


def historic_bylines(record) -> list[Byline]:
    """The bylines stored with a history version, as unsaved Byline rows."""
    return [
        Byline(reporter_id=row.reporter_id, role=row.role, position=row.position)
        for row in record.reporters.all().order_by("position", "m2m_history_id")
    ]


@dataclass
class RevertResult:
    relations_restored: bool
    # Reporter ids of that version that no longer exist (deleted, not merged).
    missing_reporters: list[int] = field(default_factory=list)


def revert_article(article: Article, record, *, user=None) -> RevertResult:
    """Save ``article`` (holding the field values of history version ``record``)
    with that version's topics and bylines, when the version carries them."""
    result = RevertResult(relations_restored=carries_relations(record))
    when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")
    with transaction.atomic():
        with one_history_record(article, user=user, reason=f"恢复到 {when} 的版本"):
            article.save()
            if result.relations_restored:
                article.topics.set([row.topic_id for row in record.topics.all()])
                result.missing_reporters = _restore_bylines(article, historic_bylines(record))
        refresh_public_copies([article.pk])
    return result


def _restore_bylines(article: Article, rows: list[Byline]) -> list[int]:
    """Replace the article's bylines with ``rows``; returns reporter ids that no longer exist."""
    existing = set(Reporter.objects.filter(pk__in=[row.reporter_id for row in rows]).values_list("pk", flat=True))
    missing, seen, keep = [], set(), []
    for row in rows:
        if row.reporter_id not in existing:
            missing.append(row.reporter_id)
            continue
        if (row.reporter_id, row.role) in seen:
            continue
        seen.add((row.reporter_id, row.role))
        row.article = article
        keep.append(row)
    article.bylines.all().delete()
    Byline.objects.bulk_create(keep)
    return missing


def delete_articles(articles: Iterable[Article]) -> int:
    """Delete articles (history keeps them) and drop them from the index."""
    articles = list(articles)
    ids = [article.pk for article in articles]
    with transaction.atomic():
        for article in articles:
            article.delete()
        refresh_public_copies(removed_ids=ids)
    return len(ids)


# --- reporters --------------------------------------------------------------


@dataclass
class MergeResult:
    kept: Reporter
    merged_names: list[str]
    article_ids: list[int] = field(default_factory=list)
    bylines_moved: int = 0
    bylines_dropped: int = 0

    @property
    def message(self) -> str:
        return (
            f"已将 {'、'.join(self.merged_names)} 合并到 {self.kept.name}："
            f"{len(self.article_ids)} 篇文章的署名已转移"
            + (f"（其中 {self.bylines_dropped} 条与原有署名重复，已合并）" if self.bylines_dropped else "")
        )


def merge_reporters(kept: Reporter, merged: Iterable[Reporter], *, user=None) -> MergeResult:
    """Move every byline of ``merged`` to ``kept`` and delete the merged reporters.

    A byline that ``kept`` already has on the same article in the same role is
    dropped (the earlier position wins), which keeps the (article, reporter,
    role) constraint. The merged names become aliases of ``kept``; affected
    articles remember their bylines as edited, so a re-parse does not bring
    the old name back, and get one history version each. History rows that
    named a merged reporter now name ``kept``, so reverting an older version
    never needs a deleted reporter. Writes are in bulk: merging a reporter
    with tens of thousands of bylines takes seconds, not minutes.
    """
    merged = [reporter for reporter in merged if reporter.pk != kept.pk]
    if not merged:
        raise EditingError("请选择至少两位记者：一位保留，其余合并到其名下")
    result = MergeResult(kept=kept, merged_names=[reporter.name for reporter in merged])
    historic_byline = apps.get_model("archive", "HistoricalByline")
    with transaction.atomic():
        affected = sorted(set(Byline.objects.filter(reporter__in=merged).values_list("article_id", flat=True)))
        record_baselines(affected)
        for source in merged:
            rows = list(source.bylines.values_list("pk", "article_id", "role", "position"))
            twins = {
                (article_id, role): (pk, position)
                for pk, article_id, role, position in Byline.objects.filter(
                    reporter=kept, article__bylines__reporter=source
                ).values_list("pk", "article_id", "role", "position")
            }
            move, drop = [], []
            for pk, article_id, role, position in rows:
                twin = twins.get((article_id, role))
                if twin is None:
                    move.append(pk)
                    continue
                drop.append(pk)
                if position < twin[1]:
                    Byline.objects.filter(pk=twin[0]).update(position=position)
            for chunk in id_batches(drop):
                Byline.objects.filter(pk__in=chunk).delete()
            for chunk in id_batches(move):
                Byline.objects.filter(pk__in=chunk).update(reporter=kept)
            result.bylines_moved += len(move)
            result.bylines_dropped += len(drop)
            source.aliases.update(reporter=kept)
            if source.name != kept.name:
                ReporterAlias.objects.update_or_create(name=source.name, defaults={"reporter": kept})
            historic_byline.objects.filter(reporter_id=source.pk).update(reporter_id=kept.pk)
            if user is not None:
                source._history_user = user
            source._change_reason = f"合并到 {kept.name}"[:100]
            source.delete()
        _mark_edited_in_bulk(affected, "bylines")
        record_versions(affected, user=user, reason=f"合并记者：{'、'.join(result.merged_names)} → {kept.name}")
        result.article_ids = affected
        refresh_public_copies(affected)
    return result


def rename_reporter(reporter: Reporter, new_name: str, *, user=None) -> Reporter:
    """Give ``reporter`` a corrected name; the old one becomes an alias.

    The slug (the reporter page's address) is kept so links stay valid.
    """
    new_name = (new_name or "").strip()
    if not new_name:
        raise EditingError("姓名不能为空")
    old_name = Reporter.objects.filter(pk=reporter.pk).values_list("name", flat=True).first() or reporter.name
    if Reporter.objects.filter(name=new_name).exclude(pk=reporter.pk).exists():
        raise EditingError(f"已有名为 {new_name} 的记者；如是同一人，请使用“合并所选记者”")
    if ReporterAlias.objects.filter(name=new_name).exclude(reporter=reporter).exists():
        raise EditingError(f"{new_name} 已是另一位记者的别名")
    with transaction.atomic():
        reporter.name = new_name
        if user is not None:
            reporter._history_user = user
        reporter._change_reason = f"更名：{old_name} → {new_name}"[:100]
        reporter.save()
        ReporterAlias.objects.filter(name=new_name).delete()
        if old_name != new_name:
            ReporterAlias.objects.update_or_create(name=old_name, defaults={"reporter": reporter})
        ids = list(Article.objects.by_reporter(reporter).values_list("pk", flat=True))
        refresh_public_copies(ids)
    return reporter


# --- topics, sections, issues ---------------------------------------------


def topic_changed(topic: Topic) -> None:
    """A topic was renamed or described anew: its articles are indexed by its name."""
    ids = Article.objects.filter(Q(primary_topic=topic) | Q(topics=topic)).values_list("pk", flat=True)
    refresh_public_copies(ids)


def section_changed(section: Section) -> None:
    """A section was renamed: its articles are indexed (and faceted) by its name."""
    refresh_public_copies(section.articles.values_list("pk", flat=True))


def paper_changed(paper: Newspaper, *, slug_changed: bool) -> None:
    """A title was edited: its pages go stale; a new slug is in every one of
    its articles' addresses and index documents."""
    refresh_public_copies(paper.articles.values_list("pk", flat=True) if slug_changed else ())


def move_issue(issue: Issue, paper: Newspaper, *, user=None) -> Issue:
    """File an issue that went under the wrong title under ``paper``: its
    articles follow it (their addresses and index documents too); the issue's
    history records the move and keeps every earlier version."""
    # The stored title: an admin form has already set the new one on ``issue``.
    old = Newspaper.objects.filter(pk__in=Issue.objects.filter(pk=issue.pk).values("paper_id")).first()
    if old is not None and old.pk == paper.pk:
        return issue
    clash = Issue.objects.filter(paper=paper, publication_date=issue.publication_date).exclude(pk=issue.pk).first()
    if clash is not None:
        raise EditingError(
            f"{paper.name}在 {issue.publication_date} 已有一期（来自 {clash.source_name}）；同一天只能有一期"
        )
    with transaction.atomic():
        issue.paper = paper
        if user is not None:
            issue._history_user = user
        issue._change_reason = f"改归报纸：{old.name} → {paper.name}"[:100]
        # Issue.save() moves the articles' copy of the title along.
        issue.save()
        refresh_public_copies(issue.articles.values_list("pk", flat=True))
    return issue


def change_issue_date(issue: Issue, new_date, *, user=None) -> Issue:
    """Move an issue (and so all its articles) to ``new_date``."""
    clash = Issue.objects.filter(paper_id=issue.paper_id, publication_date=new_date).exclude(pk=issue.pk).first()
    if clash is not None:
        raise EditingError(f"{new_date} 已有一期（来自 {clash.source_name}）；同一天只能有一期")
    old_date = Issue.objects.filter(pk=issue.pk).values_list("publication_date", flat=True).first()
    with transaction.atomic():
        issue.publication_date = new_date
        issue.date_inferred = False
        if user is not None:
            issue._history_user = user
        issue._change_reason = f"更正日期：{old_date} → {new_date}"[:100]
        issue.save()
        refresh_public_copies(issue.articles.values_list("pk", flat=True))
    return issue


@dataclass
class ReparseReport:
    issues: int = 0
    articles_created: int = 0
    articles_updated: int = 0
    articles_deleted: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        return (
            f"已重新解析 {self.issues} 期：新增 {self.articles_created} 篇，更新 {self.articles_updated} 篇，"
            f"删除 {self.articles_deleted} 篇；编辑改过的字段均已保留"
        )


def reparse_issues(issues: Iterable[Issue]) -> ReparseReport:
    """Parse each issue's stored text again, keeping every editor's change."""
    from archive.caching import bump_cache_generation

    report = ReparseReport()
    for issue in issues:
        try:
            result = reparse_issue(issue)
        except IngestError as exc:
            report.errors.append(f"{issue}: {exc}")
            continue
        except Exception as exc:
            # A parser bug on one stored issue must not abort the others.
            logger.exception("re-parse of issue %s failed", issue)
            report.errors.append(f"{issue}: 解析失败（{type(exc).__name__}）")
            continue
        report.issues += 1
        report.articles_created += result.articles_created
        report.articles_updated += result.articles_updated
        report.articles_deleted += result.articles_deleted
    bump_cache_generation()
    return report


# --- the editor group -------------------------------------------------------


def editor_permissions() -> list[Permission]:
    """The permissions of the editor group, history views included."""
    wanted = []
    for model, actions in EDITOR_PERMISSIONS.items():
        wanted.extend((model, action) for action in actions)
        history = getattr(model, "history", None)
        if history is not None:
            wanted.append((history.model, "view"))
    found = []
    for model, action in wanted:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        codename = f"{action}_{model._meta.model_name}"
        permission = Permission.objects.filter(content_type=content_type, codename=codename).first()
        if permission is None:
            raise EditingError(f"permission {codename} is missing; run manage.py migrate first")
        found.append(permission)
    return found


def ensure_editor_group() -> tuple[Group, int]:
    """Create or update the "editor" group; returns it and its permission count.

    The group gets exactly the listed permissions: anything else given to it
    by hand (say, on users) is taken away again.
    """
    group, _created = Group.objects.get_or_create(name=EDITOR_GROUP)
    permissions = editor_permissions()
    group.permissions.set(permissions)
    return group, len(permissions)
