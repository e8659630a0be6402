"""Load issue files into the archive.

One file is one issue, stored in one transaction: either every article of it
is in the database or none is. The same transaction queues every article it
wrote or removed for the search index (``archive.indexqueue``); whoever runs
the ingest (the ``ingest`` command, the admin's re-parse) drains the queue
after the commit, and a crash in between leaves the rows for the next drain.

Each issue is filed under a title (:class:`~archive.models.Newspaper`): the
one named with ``--paper``, else the one a ``paper.toml`` beside the file
names, else the title the dump's masthead prints, else the archive's only
title. A dump whose masthead prints another paper's name is refused.
"""

from __future__ import annotations

import datetime
import difflib
import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from archive import continuations, indexqueue
from archive.caching import bump_cache_generation
from archive.issue_files import IngestError, read_issue_file
from archive.models import Article, Byline, Issue, Newspaper, Reporter, Section, Topic, pinyin_slug
from archive.parsing import parse_issue
from archive.parsing.decoding import content_sha256
from archive.parsing.document import ParsedArticle, ParsedIssue
from archive.parsing.masthead import printed_names

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


@dataclass(kw_only=True)
class ArticleCounts:
    """What writing one or more issues did to their articles."""

    articles_created: int = 0
    articles_updated: int = 0
    articles_deleted: int = 0

    def add(self, other: ArticleCounts) -> None:
        self.articles_created += other.articles_created
        self.articles_updated += other.articles_updated
        self.articles_deleted += other.articles_deleted


@dataclass
class IngestResult(ArticleCounts):
    path: str
    status: str  # "created", "replaced", "unchanged"
    issue: Issue
    # Articles the parser was unsure of, left on the admin's "needs review" list.
    articles_flagged: int = 0
    # Articles written (queued for the index with the commit).
    indexed_ids: list[int] = field(default_factory=list)

    @property
    def message(self) -> str:
        date = self.issue.publication_date.isoformat()
        paper = self.issue.paper.name
        if self.status == "unchanged":
            return f"{self.path}: unchanged, already stored as the issue of {date} of {paper}"
        inferred = " (date inferred from the text)" if self.issue.date_inferred else ""
        return (
            f"{self.path}: {self.status} issue {date} of {paper}{inferred}, "
            f"{self.articles_created} articles created, {self.articles_updated} updated, "
            f"{self.articles_deleted} removed, {self.articles_flagged} flagged for review"
        )


# The file in a folder of dumps that names their title: paper = "slug".
RULE_FILE = "paper.toml"
RULE_KEYS = {"paper"}


def folder_rule(directory: Path) -> str | None:
    """The slug the ``paper.toml`` of ``directory`` names, or None without one."""
    rule = directory / RULE_FILE
    if not rule.is_file():
        return None
    try:
        data = tomllib.loads(rule.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise IngestError(f"{rule}: not a readable TOML file ({exc})") from exc
    unknown = sorted(set(data) - RULE_KEYS)
    if unknown:
        raise IngestError(f'{rule}: unknown key {unknown[0]!r}; it holds paper = "SLUG"')
    slug = data.get("paper")
    if not isinstance(slug, str) or not slug.strip():
        raise IngestError(f'{rule}: give the title as paper = "SLUG"')
    return slug.strip()


def add_paper_command(slug: str, name: str) -> str:
    return f"manage.py add_paper {slug} {name}"


def resolve_paper(text: str, slug: str | None = None) -> Newspaper:
    """The title an issue with this text goes under; ``slug`` is the one the
    user named (``--paper`` or a folder's ``paper.toml``), if any."""
    printed = printed_names(text)
    if slug:
        paper = Newspaper.objects.filter(slug=slug).first()
        if paper is None:
            name = printed[0] if printed else "报名"
            raise IngestError(f"no title {slug!r} in the archive; create it first: {add_paper_command(slug, name)}")
    else:
        known = {paper for name in printed for paper in Newspaper.objects.named(name)}
        if len(known) == 1:
            paper = known.pop()
        elif len(known) > 1:
            slugs = ", ".join(sorted(paper.slug for paper in known))
            raise IngestError(f"the masthead names several titles ({slugs}); give --paper SLUG")
        else:
            papers = list(Newspaper.objects.all()[:2])
            if len(papers) > 1:
                slugs = ", ".join(Newspaper.objects.order_by("slug").values_list("slug", flat=True))
                raise IngestError(
                    f"the archive holds several titles ({slugs}): give --paper SLUG or put a {RULE_FILE} "
                    f'with paper = "SLUG" beside the file'
                )
            # An archive of one title files everything under it; an empty
            # archive starts with the title the NEWSPAPER_NAME setting names,
            # saved with the first issue that goes in.
            paper = papers[0] if papers else Newspaper.for_setting(save=False)
    check_masthead(paper, printed)
    return paper


def check_masthead(paper: Newspaper, printed: list[str]) -> None:
    own = {paper.name, paper.short_name} - {""}
    other = next((name for name in printed if name not in own), None)
    if other is None:
        return
    known = Newspaper.objects.named(other).first()
    hint = f"use --paper {known.slug}" if known else f"create it with: {add_paper_command(pinyin_slug(other), other)}"
    raise IngestError(f"the masthead names {other}, not {paper.name} ({paper.slug}); {hint}")


def parse_file(path: Path, issue_date: datetime.date | None = None) -> ParsedIssue:
    text, _encoding = read_issue_file(path)
    return parse_issue(text, source=path.name, issue_date=issue_date)


def ingest_file(
    path: Path, *, issue_date=None, replace=False, refresh_pages=True, paper: str | None = None
) -> IngestResult:
    """Ingest one file; ``paper`` is a title's slug given by the user, which
    a ``paper.toml`` beside the file must agree with."""
    text, encoding = read_issue_file(path)
    try:
        rule = folder_rule(path.parent)
        if paper and rule and rule != paper:
            raise IngestError(f"--paper {paper}, but {path.parent / RULE_FILE} names {rule}")
        return ingest_text(
            text,
            source_name=path.name,
            encoding=encoding,
            issue_date=issue_date,
            replace=replace,
            refresh_pages=refresh_pages,
            paper=paper or rule,
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
    paper: str | None = None,
) -> IngestResult:
    """Store one issue. With ``refresh_pages`` the cached public pages go
    stale when it commits; a caller storing many issues passes False and
    lets its drains of the index queue make them stale, once per batch,
    so that readers keep their cached pages while it runs."""
    sha = content_sha256(text)
    same = Issue.objects.select_related("paper").filter(source_sha256=sha).first()
    if same is not None and not paper:
        return IngestResult(path=source_name, status="unchanged", issue=same)
    title = resolve_paper(text, paper)
    if same is not None:
        if same.paper_id != title.pk:
            raise IngestError(
                f"already stored as the issue of {same.publication_date} of {same.paper.name} ({same.paper.slug}); "
                f"move it to {title.slug} in the admin if it was filed under the wrong title"
            )
        return IngestResult(path=source_name, status="unchanged", issue=same)

    parsed = parse_issue(text, source=source_name, issue_date=issue_date)
    if not parsed.articles:
        raise IngestError("no article found in the file")
    check_article_lengths(parsed)
    if parsed.issue_date is None:
        raise IngestError("no issue date in the file name or the text; pass --date YYYY-MM-DD")

    existing = Issue.objects.filter(paper_id=title.pk, publication_date=parsed.issue_date).first()
    if existing is not None and not replace:
        raise IngestError(
            f"the issue of {parsed.issue_date} of {title.name} is already stored from "
            f"{existing.source_name} with different content; use --replace to update it"
        )

    with transaction.atomic():
        if title.pk is None:
            title.save()
        if existing is None:
            issue = Issue.objects.create(
                paper=title,
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
    continuations.link_issue(issue.pk)
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
