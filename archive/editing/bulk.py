"""Changes to many articles at once (a primary topic, the reviewed mark):
bulk writes, with one history version each."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from archive.editing.common import refresh_public_copies
from archive.editing.history import record_baselines, record_versions
from archive.models import Article, Topic, id_batches


def mark_edited_in_bulk(article_ids: Iterable[int], name: str, **values) -> None:
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
        mark_edited_in_bulk(ids, "topics", primary_topic_id=topic.pk)
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
