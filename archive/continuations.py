"""Stories printed across pages: which article continues which.

A story cut across pages ends its first part with "（下转第3版）" and opens
the next with "（上接第1版）". :func:`link_issue` links each continued part to
the part it continues (``Article.continues``), so that

* the article page links both ways, naming the pages;
* search holds a story once: the first part is indexed with the text of every
  part, and a continued part (one with ``continues`` set) is not indexed on its
  own, so a word printed only on page 3 finds the story, not a second hit.

Links always point to an earlier position in the same issue, so a story is a
chain without cycles. They are derived from the marks, headlines and pages and
are written with ``update()``: no editor's change, no history record. Ingest
links every issue it writes; editing relinks the issues of the articles it
changes (:func:`relink`) and queues every part whose story changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from archive.models import MAX_STORY_PARTS, Article, id_batches
from archive.pagelabels import page_number


def partner(article, siblings):
    """The other part of an article printed across two pages, if the issue has it.

    ``siblings`` are the issue's other articles that carry a continuation mark.
    The part is looked for on the page the mark names ("下转第3版"), then
    matched by headline, then by being the only candidate. For a part with
    both marks the earlier part is returned (the one it continues).
    """
    if article.continued_from:
        candidates = [a for a in siblings if a.continued_to and a.position < article.position]
        page = page_number(article.continued_from)
    elif article.continued_to:
        candidates = [a for a in siblings if a.continued_from and a.position > article.position]
        page = page_number(article.continued_to)
    else:
        return None
    on_page = [a for a in candidates if page and a.section_id and page_number(a.section.name) == page]
    candidates = on_page or candidates
    if article.headline:
        for candidate in candidates:
            if candidate.headline == article.headline:
                return candidate
    return candidates[0] if len(candidates) == 1 else None


def _marked(issue_id: int) -> list[Article]:
    return list(
        Article.objects.filter(issue_id=issue_id)
        .filter(~Q(continued_from="") | ~Q(continued_to=""))
        .select_related("section")
        .only(
            *("pk", "issue_id", "position", "headline", "section_id", "section__name"),
            *("continued_from", "continued_to", "continues_id"),
        )
        .order_by("position")
    )


def link_issue(issue_id: int) -> set[int]:
    """Link the continued parts of one issue; returns the ids of the articles
    whose story changed (the parts relinked and the parts they were or are now
    linked to), which the index must see again."""
    marked = _marked(issue_id)
    wanted: dict[int, int | None] = {}
    for article in marked:
        earlier = partner(article, [a for a in marked if a.pk != article.pk]) if article.continued_from else None
        wanted[article.pk] = earlier.pk if earlier is not None else None
    changed: set[int] = set()
    for article in marked:
        if article.continues_id != wanted[article.pk]:
            changed |= {article.pk, article.continues_id, wanted[article.pk]} - {None}
            Article.objects.filter(pk=article.pk).update(continues_id=wanted[article.pk])
    # A part whose mark an editor removed stands alone again.
    stale = Article.objects.filter(issue_id=issue_id, continues__isnull=False).exclude(pk__in=wanted)
    for pk, continues_id in stale.values_list("pk", "continues_id"):
        changed |= {pk, continues_id}
    stale.update(continues=None)
    return changed


def _in_stories(article_ids: Iterable[int]):
    """(id, continues_id, issue_id) of those of the given articles that carry a
    mark or a link: the only ones whose story can change."""
    ids = sorted({int(pk) for pk in article_ids})
    for batch in id_batches(ids):
        yield from (
            Article.objects.filter(pk__in=batch)
            .filter(~Q(continued_from="") | ~Q(continued_to="") | Q(continues__isnull=False))
            .values_list("pk", "continues_id", "issue_id")
        )


def story_ids(article_ids: Iterable[int]) -> set[int]:
    """The given articles and every part of the stories they belong to."""
    found = {int(pk) for pk in article_ids}
    frontier = {pk for pk, _, _ in _in_stories(found)}
    for _ in range(MAX_STORY_PARTS):
        if not frontier:
            break
        linked: set[int] = set()
        for batch in id_batches(sorted(frontier)):
            rows = Article.objects.filter(Q(pk__in=batch, continues__isnull=False) | Q(continues__in=batch))
            linked.update(pk for pair in rows.values_list("pk", "continues_id") for pk in pair)
        frontier = linked - found
        found |= frontier
    return found


def relink(article_ids: Iterable[int]) -> set[int]:
    """Relink the issues of the given articles after an edit; returns the
    given ids with every part of their stories, before and after."""
    ids = story_ids(article_ids)
    for issue_id in sorted({issue_id for _, _, issue_id in _in_stories(ids)}):
        ids |= link_issue(issue_id)
    return story_ids(ids)
