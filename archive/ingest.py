"""Load issue files into the archive.

One file is one issue, stored in one transaction: either every article of it
is in the database or none is. The same transaction queues every article it
wrote or removed for the search index (``archive.indexqueue``); whoever runs
the ingest (the ``ingest`` command, the admin's re-parse) drains the queue
after the commit, and a crash in between leaves the rows for the next drain.
"""

from __future__ import annotations

import datetime
import difflib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from archive import indexqueue
from archive.caching import bump_cache_generation
from archive.issue_files import IngestError, read_issue_file
from archive.models import Article, Byline, Issue, Reporter, Section, Topic
from archive.parsing import parse_issue
from archive.parsing.decoding import content_sha256
from archive.parsing.document import ParsedArticle, ParsedIssue

logger = logging.getLogger(__name__)

# Article fields the parser fills and an editor may override.
EDITABLE_FIELDS = (
    "headline",
    "kicker",
    "subtitle",
    "column",
    "kind",
    "paragraphs",
    "event_date",
    "continued_from",
    "continued_to",
    "section",
    "topics",
    "keywords",
    "bylines",
)


@dataclass
class IngestResult:
    path: str
    status: str  # "created", "replaced", "unchanged"
    issue: Issue
    articles_created: int = 0
    articles_updated: int = 0
    articles_deleted: int = 0
    # Articles the parser was unsure of, left on the admin's "needs review" list.
    articles_flagged: int = 0
    # Articles written (queued for the index with the commit).
    indexed_ids: list[int] = field(default_factory=list)

    @property
    def message(self) -> str:
        date = self.issue.publication_date.isoformat()
        if self.status == "unchanged":
            return f"{self.path}: unchanged, already stored as the issue of {date}"
        inferred = " (date inferred from the text)" if self.issue.date_inferred else ""
        return (
            f"{self.path}: {self.status} issue {date}{inferred}, "
            f"{self.articles_created} articles created, {self.articles_updated} updated, "
            f"{self.articles_deleted} removed, {self.articles_flagged} flagged for review"
        )


def parse_file(path: Path, issue_date: datetime.date | None = None) -> ParsedIssue:
    text, _encoding = read_issue_file(path)
    return parse_issue(text, source=path.name, issue_date=issue_date)


def ingest_file(path: Path, *, issue_date=None, replace=False, refresh_pages=True) -> IngestResult:
    text, encoding = read_issue_file(path)
    try:
        return ingest_text(
            text,
            source_name=path.name,
            encoding=encoding,
            issue_date=issue_date,
            replace=replace,
            refresh_pages=refresh_pages,
        )
    except IngestError as exc:
        raise IngestError(f"{path}: {exc}") from exc


def ingest_text(
    text: str,
    *,
    source_name: str,
    encoding: str = "utf-8",
    issue_date: datetime.date | None = None,
    replace: bool = False,
    refresh_pages: bool = True,
) -> IngestResult:
    """Store one issue. With ``refresh_pages`` the cached public pages go
    stale when it commits; a caller storing many issues passes False and
    lets its drains of the index queue make them stale, once per batch,
    so that readers keep their cached pages while it runs."""
    sha = content_sha256(text)
    same = Issue.objects.filter(source_sha256=sha).first()
    if same is not None:
        return IngestResult(path=source_name, status="unchanged", issue=same)

    parsed = parse_issue(text, source=source_name, issue_date=issue_date)
    if not parsed.articles:
        raise IngestError("no article found in the file")
    check_article_lengths(parsed)
    if parsed.issue_date is None:
        raise IngestError("no issue date in the file name or the text; pass --date YYYY-MM-DD")

    existing = Issue.objects.filter(publication_date=parsed.issue_date).first()
    if existing is not None and not replace:
        raise IngestError(
            f"the issue of {parsed.issue_date} is already stored from "
            f"{existing.source_name} with different content; use --replace to update it"
        )

    with transaction.atomic():
        if existing is None:
            issue = Issue.objects.create(
                publication_date=parsed.issue_date,
                date_inferred=parsed.issue_date_inferred,
                source_name=source_name,
                source_sha256=sha,
                source_encoding=encoding,
                source_text=text,
                unassigned=parsed.unassigned,
            )
            status = "created"
        else:
            issue = existing
            issue.date_inferred = parsed.issue_date_inferred
            issue.source_name = source_name
            issue.source_sha256 = sha
            issue.source_encoding = encoding
            issue.source_text = text
            issue.unassigned = parsed.unassigned
            issue.save()
            status = "replaced"
        result = IngestResult(path=source_name, status=status, issue=issue)
        apply_parsed_articles(issue, parsed, result)
        if refresh_pages:
            transaction.on_commit(bump_cache_generation)
    return result


def check_article_lengths(parsed: ParsedIssue) -> None:
    """Refuse an issue with a paragraph or an article longer than any real one
    could be (the INGEST_MAX_* settings): such text is a broken dump, and one
    stored whole would make its page and every search that matches it slow."""
    paragraph_limit = settings.INGEST_MAX_PARAGRAPH_CHARS
    article_limit = settings.INGEST_MAX_ARTICLE_CHARS
    for number, article in enumerate(parsed.articles, start=1):
        name = f"article {number} (“{(article.headline or '')[:20]}”)" if article.headline else f"article {number}"
        longest = max((len(paragraph) for paragraph in article.paragraphs), default=0)
        if longest > paragraph_limit:
            raise IngestError(
                f"{name} has a paragraph of {longest:,} characters, over the limit of {paragraph_limit:,} "
                "(INGEST_MAX_PARAGRAPH_CHARS)"
            )
        total = sum(len(paragraph) for paragraph in article.paragraphs)
        if total > article_limit:
            raise IngestError(
                f"{name} has {total:,} characters, over the limit of {article_limit:,} (INGEST_MAX_ARTICLE_CHARS)"
            )


def reparse_issue(issue: Issue) -> IngestResult:
    """Parse the stored source text again, keeping what editors changed."""
    parsed = parse_issue(issue.source_text, source=issue.source_name, issue_date=issue.publication_date)
    with transaction.atomic():
        issue.unassigned = parsed.unassigned
        issue.save(update_fields=["unassigned", "updated_at"])
        result = IngestResult(path=issue.source_name, status="reparsed", issue=issue)
        apply_parsed_articles(issue, parsed, result)
        transaction.on_commit(bump_cache_generation)
    return result


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a[:400], b[:400], autojunk=False).ratio()


def _match_existing(old: list[Article], new: list[ParsedArticle]) -> dict[int, Article]:
    """Pair new parsed articles with stored ones so permalinks survive a re-parse.

    Headline first, then the most similar body; an article only matches once.
    """
    pairs: dict[int, Article] = {}
    free = list(old)
    for i, parsed in enumerate(new):
        if parsed.headline:
            for article in free:
                if article.headline == parsed.headline:
                    pairs[i] = article
                    free.remove(article)
                    break
    for i, parsed in enumerate(new):
        if i in pairs or not free:
            continue
        body = "".join(parsed.paragraphs)
        best = max(free, key=lambda a: _similarity("".join(a.paragraphs), body))
        if _similarity("".join(best.paragraphs), body) >= 0.6:
            pairs[i] = best
            free.remove(best)
    return pairs


def apply_parsed_articles(issue: Issue, parsed: ParsedIssue, result: IngestResult) -> None:
    """Write the parsed articles of ``issue``: update matches, add new, drop
    the rest; queue all of them for the search index in the same transaction."""
    topics = Topic.ensure_fixed_list()
    old = list(issue.articles.all())
    pairs = _match_existing(old, parsed.articles)
    kept_ids = {a.pk for a in pairs.values()}
    removed = [a for a in old if a.pk not in kept_ids]
    if removed:
        removed_ids = [a.pk for a in removed]
        Article.objects.filter(pk__in=removed_ids).delete()
        indexqueue.enqueue(removed_ids)
        result.articles_deleted = len(removed)

    # Positions are unique per issue: move stored articles out of the way first.
    if kept_ids:
        offset = 100_000
        for article in pairs.values():
            article.position += offset
        Article.objects.bulk_update(list(pairs.values()), ["position"])

    for position, item in enumerate(parsed.articles, start=1):
        article = pairs.get(position - 1)
        created = article is None
        if created:
            article = Article(issue=issue)
        edited = set() if created else set(article.edited_fields)
        article.position = position
        article.source_text = "\n".join(item.source_lines)
        article.doubts = list(item.doubts)
        result.articles_flagged += bool(item.doubts)
        values = {
            "headline": item.headline or "",
            "kicker": item.kicker or "",
            "subtitle": item.subtitle or "",
            "column": item.column or "",
            "kind": item.kind,
            "paragraphs": list(item.paragraphs),
            "event_date": item.event_date,
            "continued_from": item.continued_from or "",
            "continued_to": item.continued_to or "",
            "keywords": list(item.keywords),
        }
        for name, value in values.items():
            if name not in edited:
                setattr(article, name, value)
        if "section" not in edited:
            article.section = Section.objects.get_or_create(name=item.section)[0] if item.section else None
        if "topics" not in edited:
            article.primary_topic = topics.get(item.topics[0]) if item.topics else None
        article.save()
        if "topics" not in edited:
            article.topics.set([topics[name] for name in item.topics if name in topics])
        if "bylines" not in edited:
            _set_bylines(article, item)
        result.indexed_ids.append(article.pk)
        if created:
            result.articles_created += 1
        else:
            result.articles_updated += 1
    indexqueue.enqueue(result.indexed_ids)


def _set_bylines(article: Article, item: ParsedArticle) -> None:
    article.bylines.all().delete()
    seen = set()
    rows = []
    for position, byline in enumerate(item.bylines):
        # A name an editor merged into another reporter (an alias, an OCR
        # variant) means that reporter when it is printed again.
        reporter = Reporter.objects.for_byline_name(byline.name).first() or Reporter.objects.create(name=byline.name)
        key = (reporter.pk, byline.role)
        if key in seen:
            continue
        seen.add(key)
        rows.append(Byline(article=article, reporter=reporter, role=byline.role, position=position))
    Byline.objects.bulk_create(rows)
