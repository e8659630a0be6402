"""The history an edit leaves: one version per article change, carrying the
article's topics and bylines; the state before an editor's first change
recorded as its baseline; versions written in bulk inside the database for
changes to many articles; and who made a change, and why."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from django.apps import apps
from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from archive.models import Article, Byline, id_batches

BASELINE_REASON = "修改前的状态（自动记录）"


def attribute(instance, *, user=None, reason: str = "") -> None:
    """Name the editor and the reason in the history version that the next
    save or deletion of ``instance`` records."""
    if user is not None:
        instance._history_user = user
    instance._change_reason = reason[:100] if reason else None


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
    attribute(article, user=user, reason=reason)
    article.save()


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
