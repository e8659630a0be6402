"""Corrections of reporters: merging several into one, and renaming one.
The names given up become aliases, so later ingests file them under the
reporter an editor chose."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction

from archive.editing.bulk import mark_edited_in_bulk
from archive.editing.common import EditingError, refresh_public_copies
from archive.editing.history import attribute, record_baselines, record_versions
from archive.models import Article, Byline, Reporter, ReporterAlias, id_batches


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
            attribute(source, user=user, reason=f"合并到 {kept.name}")
            source.delete()
        mark_edited_in_bulk(affected, "bylines")
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
        attribute(reporter, user=user, reason=f"更名：{old_name} → {new_name}")
        reporter.save()
        ReporterAlias.objects.filter(name=new_name).delete()
        if old_name != new_name:
            ReporterAlias.objects.update_or_create(name=old_name, defaults={"reporter": reporter})
        ids = list(Article.objects.by_reporter(reporter).values_list("pk", flat=True))
        refresh_public_copies(ids)
    return reporter
