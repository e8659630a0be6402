"""Where an issue is filed: an edited title, an issue moved to its right
title or to its right date. The articles follow their issue, in their
addresses and index documents."""

from __future__ import annotations

from django.db import transaction

from archive.editing.common import EditingError, refresh_public_copies
from archive.editing.history import attribute
from archive.models import Issue, Newspaper


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
    clash = _other_issue(paper.pk, issue.publication_date, issue)
    if clash is not None:
        raise EditingError(
            f"{paper.name}在 {issue.publication_date} 已有一期（来自 {clash.source_name}）；同一天只能有一期"
        )
    issue.paper = paper
    return _save_refiled(issue, user=user, reason=f"改归报纸：{old.name} → {paper.name}")


def change_issue_date(issue: Issue, new_date, *, user=None) -> Issue:
    """Move an issue (and so all its articles) to ``new_date``."""
    clash = _other_issue(issue.paper_id, new_date, issue)
    if clash is not None:
        raise EditingError(f"{new_date} 已有一期（来自 {clash.source_name}）；同一天只能有一期")
    old_date = Issue.objects.filter(pk=issue.pk).values_list("publication_date", flat=True).first()
    issue.publication_date = new_date
    issue.date_inferred = False
    return _save_refiled(issue, user=user, reason=f"更正日期：{old_date} → {new_date}")


def _other_issue(paper_id: int, day, issue: Issue) -> Issue | None:
    """The issue other than ``issue`` that a title has on ``day``: a title
    has one issue a day."""
    return Issue.objects.filter(paper_id=paper_id, publication_date=day).exclude(pk=issue.pk).first()


def _save_refiled(issue: Issue, *, user, reason: str) -> Issue:
    """Save an issue given a new title or date, with a history version
    saying so, and queue its articles, which follow it."""
    with transaction.atomic():
        attribute(issue, user=user, reason=reason)
        # Issue.save() moves the articles' copies of the title and date along.
        issue.save()
        refresh_public_copies(issue.articles.values_list("pk", flat=True))
    return issue
