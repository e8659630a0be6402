"""Corrections of one article: the fields an editor changed (remembered so
a re-parse keeps them), reverting to an earlier version with its topics and
bylines, and deleting articles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone

from archive import continuations
from archive.editing.common import refresh_public_copies
from archive.editing.history import carries_relations, historic_bylines, one_history_record
from archive.ingest import EDITABLE_FIELDS
from archive.models import Article, Byline, Reporter

# Form fields whose change an editor makes to the given EDITABLE_FIELDS entry.
FIELD_ALIASES = {"primary_topic": "topics", "body": "paragraphs"}


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
        # The rest of their stories: a part left alone is searched on its own.
        others = continuations.story_ids(ids) - set(ids)
        for article in articles:
            article.delete()
        refresh_public_copies(others, removed_ids=ids)
    return len(ids)
