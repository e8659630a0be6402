"""Re-parsing stored issues from their printed text, keeping every field an
editor changed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from archive.ingest import ArticleCounts, IngestError, reparse_issue
from archive.models import Issue

logger = logging.getLogger(__name__)


@dataclass
class ReparseReport(ArticleCounts):
    issues: int = 0
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
        report.add(result)
    bump_cache_generation()
    return report
