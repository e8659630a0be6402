"""Pages for reading the archive: by date, by reporter, by topic.

Every listing has a fixed order ending in the primary key, so page N shows the
same articles on every visit. Aggregates that scan the whole archive (counts,
reporter statistics) are computed once per cache generation (see
:mod:`archive.caching`); the pages themselves are cached per URL
(:mod:`archive.pagecache`).
"""

from __future__ import annotations

import calendar
import datetime
import functools
import logging
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.generic.dates import MonthArchiveView, YearArchiveView

from archive import citations, params, search
from archive.addresses import absolute_url, permanent_redirect
from archive.caching import cached_value
from archive.context_processors import paper_name
from archive.listings import (
    REPORTER_SORTS,
    SORTS_BY_YEAR,
    legacy_paper,
    paper_summaries,
    reporter_counts,
    reporter_listing,
    reporter_years,
    topic_counts,
    topic_listing,
    with_years,
)
from archive.models import Article, ArticleKind, Byline, BylineRole, Issue, Newspaper, Reporter, Topic, paper_slugs
from archive.pagecache import cache_public_page, is_editor
from archive.pagelabels import page_number
from archive.printed_pages import page_number_of, printed_pages
from archive.search.views import run_search

logger = logging.getLogger(__name__)

ARTICLES_PER_PAGE = 30
REPORTERS_PER_PAGE = 100
RELATED_LIMIT = 5
TOP_REPORTERS = 10
HOME_ARTICLES = 12


def paginate(request, items, per_page):
    """The requested page; a number past the end gives the last page, a
    malformed one a 400 (:class:`archive.params.BadParameter`)."""
    return Paginator(items, per_page).get_page(params.page(request.GET))


def listing(queryset):
    """Articles as lists show them: the raw dump text and the JSON fields no
    list shows (each decoded per row) stay in the database."""
    return queryset.for_listing().defer("source_text", "keywords", "edited_fields", "reviewed", "created_at")


# Calendars ------------------------------------------------------------------


@dataclass
class CalendarDay:
    date: datetime.date | None
    article_count: int = 0
    has_issue: bool = False
    is_current: bool = False
    url: str = ""


ISSUE_URL_PLACEHOLDER = "0000-00-00"


def issue_url_maker(paper):
    """A function day -> URL of ``paper``'s issue, reversing the route once instead of once a day."""
    template = reverse("archive:issue_detail", args=[paper.slug, ISSUE_URL_PLACEHOLDER])
    return lambda day: template.replace(ISSUE_URL_PLACEHOLDER, day.isoformat())


def month_calendar(paper, year, month, article_counts, current=None):
    """Weeks (Monday first) of ``month``; ``article_counts`` maps the dates that
    have an issue of ``paper`` to their article count."""
    weeks = []
    issue_url = issue_url_maker(paper)
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for day in week:
            if day.month != month:
                row.append(CalendarDay(None))
            elif day in article_counts:
                row.append(CalendarDay(day, article_counts[day], True, day == current, issue_url(day)))
            else:
                row.append(CalendarDay(day, is_current=day == current))
        weeks.append(row)
    return {"paper": paper, "year": year, "month": month, "first": datetime.date(year, month, 1), "weeks": weeks}


def month_range(year, month):
    """First and last day, so the date index serves the lookup."""
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def issue_index(paper):
    """[(issue id, publication date, article count)] of one title, oldest
    first; two narrow queries once per cache generation, then every calendar,
    year list and total of the title is read from it."""

    def compute():
        articles = Article.objects.filter(paper=paper)
        counts = dict(articles.values_list("issue_id").annotate(count=Count("pk")).order_by())
        issues = Issue.objects.filter(paper=paper).order_by("publication_date").values_list("pk", "publication_date")
        return [(pk, day, counts.get(pk, 0)) for pk, day in issues]

    return cached_value(f"issue-index:{paper.pk}", compute)


def article_counts_between(paper, first, last):
    """{publication date: article count} for ``paper``'s issues from ``first`` to ``last``."""
    return {day: count for _, day, count in issue_index(paper) if first <= day <= last}


def archive_years(paper):
    """[(year, issue count, article count)] for every year with an issue of ``paper``."""
    issues, articles = Counter(), Counter()
    for _, day, count in issue_index(paper):
        issues[day.year] += 1
        articles[day.year] += count
    return [(year, issues[year], articles[year]) for year in sorted(issues)]


def archive_totals():
    summaries = paper_summaries()
    return {
        "paper_count": len(summaries),
        "issue_count": sum(row["issue_count"] for row in summaries),
        "article_count": sum(row["article_count"] for row in summaries),
        "reporter_count": cached_value("reporter-count", Reporter.objects.count),
    }


def paper_totals(paper):
    index = issue_index(paper)
    return {"issue_count": len(index), "article_count": sum(count for _, _, count in index)}


def paginate_articles(request, ids, per_page):
    """A page of articles from an ordered id list, fetched for listing."""
    page = paginate(request, ids, per_page)
    found = listing(Article.objects.filter(pk__in=list(page.object_list))).in_bulk()
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    return page


# Titles ---------------------------------------------------------------------


def paper_view(view):
    """Resolve the ``paper`` slug of a title's URL to the title. A slug an
    editor has since changed leads, permanently, to the title's new address."""

    @functools.wraps(view)
    def wrapper(request, paper, **kwargs):
        found = Newspaper.objects.filter(slug=paper).first()
        if found is not None:
            return view(request, paper=found, **kwargs)
        renamed = Newspaper.history.filter(slug=paper).order_by("-history_date").values_list("id", flat=True).first()
        current = Newspaper.objects.filter(pk=renamed).first() if renamed else None
        if current is None:
            raise Http404("no such title")
        return redirect(
            request.get_full_path().replace(f"/papers/{paper}/", f"/papers/{current.slug}/", 1), permanent=True
        )

    return wrapper


# Home and dates -------------------------------------------------------------


@cache_public_page
def home(request):
    """The front door: every title with its newest issue, the newest articles across titles, the topics."""
    summaries = paper_summaries()
    newest = list(listing(Article.objects.all()).select_related("paper").newest_first()[:HOME_ARTICLES])
    return render(
        request,
        "archive/home.html",
        {"summaries": summaries, "articles": newest, "topics": topic_counts(), **archive_totals()},
    )


@cache_public_page
def paper_list(request):
    return render(request, "archive/paper_list.html", {"summaries": paper_summaries(), **archive_totals()})


@cache_public_page
@paper_view
def paper_detail(request, paper):
    """A title's home: its newest issue, the calendar of its run, its topics."""
    issue = Issue.objects.defer("source_text", "unassigned").filter(paper=paper).newest()
    context = {"paper": paper, "issue": issue, "years": archive_years(paper), "topics": topic_counts(paper)}
    context.update(paper_totals(paper))
    if issue:
        day = issue.publication_date
        context["articles"] = list(listing(issue.articles.all()).order_by("position", "pk"))
        counts = article_counts_between(paper, *month_range(day.year, day.month))
        context["calendar"] = month_calendar(paper, day.year, day.month, counts, current=day)
    return render(request, "archive/paper_detail.html", context)


@paper_view
def issue_jump(request, paper):
    """The calendar's date box: go to the title's issue of that day, or say
    there is none and link the title's nearest issues before and after it."""
    try:
        day = params.date(request.GET, "date", "日期")
    except params.BadParameter as exc:
        return render(request, "archive/issue_jump_error.html", {"paper": paper, "message": exc.message_zh}, status=400)
    if day is None:
        return redirect("archive:archive_index", paper=paper.slug)
    issues = Issue.objects.filter(paper=paper).only("paper_id", "publication_date")
    issue = issues.filter(publication_date=day).first()
    if issue is not None:
        return redirect(issue)
    # No paper that day: say so, and offer the nearest issues either side.
    context = {
        "paper": paper,
        "day": day,
        "before": issues.filter(publication_date__lt=day).order_by("-publication_date").first(),
        "after": issues.filter(publication_date__gt=day).order_by("publication_date").first(),
    }
    return render(request, "archive/issue_jump_missing.html", context, status=404)


def issue_context(paper, issue):
    """What the issue page and each of its printed pages show."""
    day = issue.publication_date
    articles = list(listing(issue.articles.all()).order_by("position", "pk"))
    kinds = Counter(article.kind for article in articles)
    issues = Issue.objects.filter(paper=paper).only("pk", "paper_id", "publication_date")
    return {
        "paper": paper,
        "issue": issue,
        "articles": articles,
        "pages": printed_pages(paper.slug, day, articles),
        "kind_counts": [(label, kinds[value]) for value, label in ArticleKind.choices if kinds[value]],
        "previous_issue": issues.filter(publication_date__lt=day).order_by("-publication_date").first(),
        "next_issue": issues.filter(publication_date__gt=day).order_by("publication_date").first(),
        # The same day in the archive's other titles.
        "same_day": list(
            Issue.objects.filter(publication_date=day)
            .exclude(paper=paper)
            .select_related("paper")
            .only("pk", "publication_date", "paper__name", "paper__slug")
        ),
    }


@cache_public_page
@paper_view
def issue_detail(request, paper, day):
    issue = get_object_or_404(Issue.objects.defer("source_text", "unassigned"), paper=paper, publication_date=day)
    return render(request, "archive/issue_detail.html", issue_context(paper, issue))


@cache_public_page
@paper_view
def issue_page(request, paper, day, number):
    """One printed page (版面) of an issue, with the navigator to the others."""
    issue = get_object_or_404(Issue.objects.defer("source_text", "unassigned"), paper=paper, publication_date=day)
    context = issue_context(paper, issue)
    pages = context["pages"]
    if not 1 <= number <= len(pages):
        raise Http404("这一期没有这个版面")
    page = pages[number - 1]
    context.update(
        {
            "page": page,
            "previous_page": pages[number - 2] if number > 1 else None,
            "next_page": pages[number] if number < len(pages) else None,
        }
    )
    return render(request, "archive/issue_page.html", context)


@cache_public_page
@paper_view
def archive_index(request, paper):
    return render(
        request, "archive/archive_index.html", {"paper": paper, "years": archive_years(paper), **paper_totals(paper)}
    )


class IssueDateMixin:
    model = Issue
    date_field = "publication_date"
    allow_future = True
    allow_empty = False
    month_format = "%m"

    def get_queryset(self):
        return (
            Issue.objects.defer("source_text", "unassigned")
            .filter(paper=self.kwargs["paper"])
            .order_by("publication_date")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(paper=self.kwargs["paper"], **kwargs)


class IssueYearArchive(IssueDateMixin, YearArchiveView):
    template_name = "archive/archive_year.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paper = self.kwargs["paper"]
        year = context["year"].year
        counts = article_counts_between(paper, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        months = []
        for month in range(1, 13):
            month_counts = {day: n for day, n in counts.items() if day.month == month}
            months.append(
                {
                    **month_calendar(paper, year, month, month_counts),
                    "issue_count": len(month_counts),
                    "article_count": sum(month_counts.values()),
                }
            )
        context.update(
            {
                "months": months,
                "issue_count": len(counts),
                "article_count": sum(counts.values()),
            }
        )
        return context


class IssueMonthArchive(IssueDateMixin, MonthArchiveView):
    make_object_list = True
    template_name = "archive/archive_month.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paper = self.kwargs["paper"]
        first = context["month"]
        counts = article_counts_between(paper, *month_range(first.year, first.month))
        context.update(
            {
                "calendar": month_calendar(paper, first.year, first.month, counts),
                "issue_rows": [(issue, counts.get(issue.publication_date, 0)) for issue in self.object_list],
                "article_count": sum(counts.values()),
            }
        )
        return context


archive_year = cache_public_page(paper_view(IssueYearArchive.as_view()))
archive_month = cache_public_page(paper_view(IssueMonthArchive.as_view()))


# Addresses from before the archive held several titles ------------------------


def legacy_redirect(request, route, **kwargs):
    paper = legacy_paper()
    if paper is None:
        raise Http404("the archive holds no title yet")
    return permanent_redirect(request, reverse(f"archive:{route}", kwargs={"paper": paper.slug, **kwargs}))


def legacy_issue(request, day, **more):
    """An issue's (or one of its printed pages') old address: the legacy
    title's issue of that day, or the one title that has an issue that day."""
    paper = legacy_paper()
    issue = Issue.objects.filter(paper=paper, publication_date=day).only("paper_id", "publication_date").first()
    if issue is None:
        others = list(Issue.objects.filter(publication_date=day).only("paper_id", "publication_date")[:2])
        if len(others) != 1:
            raise Http404("no issue of that day")
        issue = others[0]
    if more:
        slug = paper_slugs()[issue.paper_id]
        return permanent_redirect(request, reverse("archive:issue_page", args=[slug, day, more["number"]]))
    return permanent_redirect(request, issue.get_absolute_url())


def legacy_article(request, pk):
    article = get_object_or_404(Article.objects.only("pk", "paper_id"), pk=pk)
    return permanent_redirect(request, article.get_absolute_url())


# Articles -------------------------------------------------------------------


def continuation_partner(article, siblings):
    """The other part of an article printed across two pages, if the issue has it.

    ``siblings`` are the issue's other articles that carry a continuation mark.
    The part is looked for on the page the mark names ("下转第3版"), then
    matched by headline, then by being the only candidate.
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


def database_related(article, limit=RELATED_LIMIT):
    """Articles sharing a topic and a reporter or keyword with ``article``, newest first."""
    topic_ids = [topic.pk for topic in article.topics.all()]
    reporter_ids = [byline.reporter_id for byline in article.bylines.all()]
    if not topic_ids:
        return []
    shared = Q(bylines__reporter__in=reporter_ids)
    for keyword in article.keywords[:5]:
        shared |= Q(keywords__icontains=keyword)
    queryset = (
        Article.objects.filter(pk__in=Article.topics.through.objects.filter(topic__in=topic_ids).values("article_id"))
        .filter(shared)
        .exclude(pk=article.pk)
        .select_related("issue")
        .only("pk", "paper_id", "headline", "paragraphs", "kind", "issue__publication_date")
        .distinct()
        .order_by("-issue_date", "position", "pk")
    )
    return list(queryset[:limit])


def related_for(article):
    """ "More like this" from the search engine; the database's topic/reporter
    match when the engine is not available (e.g. an index not built yet)."""
    try:
        return list(search.related_articles(article, limit=RELATED_LIMIT))
    except Exception:
        logger.exception("related articles for %s from the search engine failed; using the database", article.pk)
        return database_related(article)


def edit_url(request, article) -> str:
    """The admin form of ``article`` for an editor allowed to change it; "" for readers."""
    if is_editor(request) and request.user.has_perm("archive.change_article"):
        return reverse("admin:archive_article_change", args=[article.pk])
    return ""


def reference(request, article):
    """What every citation format of ``article`` is made from."""
    return citations.reference_for(
        article,
        newspaper=paper_name(article),
        url=absolute_url(request, article.get_absolute_url()),
        accessed=timezone.localdate(),
    )


def citation_formats(ref):
    """[(id, label, HTML)] shown on the article page, each with a copy button."""
    return [
        ("gbt7714", "GB/T 7714-2015", citations.gbt7714(ref)),
        ("apa", "APA", citations.apa(ref)),
        ("mla", "MLA", citations.mla(ref)),
    ]


REFERENCE_DOWNLOADS = {
    "ris": (citations.ris, citations.RIS_MEDIA_TYPE),
    "bib": (citations.bibtex, citations.BIBTEX_MEDIA_TYPE),
}


def reference_download(refs, fmt, filename):
    write, media_type = REFERENCE_DOWNLOADS[fmt]
    response = HttpResponse(write(refs), content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@cache_public_page
@paper_view
def article_reference(request, paper, pk, fmt):
    """One article as a RIS or BibTeX file for a reference manager."""
    article = get_object_or_404(Article.objects.for_listing().defer("source_text"), pk=pk)
    if article.paper_id != paper.pk:
        return permanent_redirect(request, reverse("archive:article_reference", args=[article.paper.slug, pk, fmt]))
    return reference_download([reference(request, article)], fmt, f"article-{article.pk}")


@cache_public_page(search_index=True)
def search_references(request, fmt):
    """The articles of one page of search results as a RIS or BibTeX file."""
    _, result, errors = run_search(request)
    if result.error or errors:
        return HttpResponseBadRequest(" ".join([result.error or "", *errors]).strip(), content_type="text/plain")
    ids = [hit.article.pk for hit in result.hits]
    found = Article.objects.for_listing().defer("source_text").in_bulk(ids)
    refs = [reference(request, found[pk]) for pk in ids if pk in found]
    return reference_download(refs, fmt, f"search-page-{result.page}")


@cache_public_page
@paper_view
def article_detail(request, paper, pk):
    article = get_object_or_404(Article.objects.for_listing().defer("source_text").prefetch_related("topics"), pk=pk)
    if article.paper_id != paper.pk:
        # Filed under another title (or moved there since): its own address.
        return permanent_redirect(request, article.get_absolute_url())
    in_issue = (
        article.issue.articles.exclude(pk=article.pk)
        .select_related("section")
        .only(
            *("pk", "paper_id", "issue_id", "position", "headline", "paragraphs", "kind"),
            *("continued_from", "continued_to", "section__name"),
        )
    )
    # Positions can have gaps after an editor deletes an article.
    previous_article = in_issue.filter(position__lt=article.position).order_by("-position").first()
    next_article = in_issue.filter(position__gt=article.position).order_by("position").first()
    continuation = None
    if article.continued_from or article.continued_to:
        marked = list(in_issue.filter(~Q(continued_from="") | ~Q(continued_to="")).order_by("position"))
        continuation = continuation_partner(article, marked)
    ref = reference(request, article)
    rows = list(article.issue.articles.order_by("position", "pk").values_list("pk", "section_id"))
    number = page_number_of(rows, article.pk)
    page_url = (
        reverse("archive:issue_page", args=[paper.slug, article.issue.publication_date, number]) if number else ""
    )
    return render(
        request,
        "archive/article_detail.html",
        {
            "paper": paper,
            "article": article,
            "bylines": list(article.bylines.all()),
            "topics": list(article.topics.all()),
            "previous_article": previous_article,
            "next_article": next_article,
            "continuation": continuation,
            "related": related_for(article),
            "reference": ref,
            "edit_url": edit_url(request, article),
            "page_url": page_url,
            "citations": citation_formats(ref),
        },
    )


# Reporters ------------------------------------------------------------------


@cache_public_page
def reporter_list(request):
    table = reporter_counts()
    role = params.choice(request.GET, "role", BylineRole.values, label="身份")
    initial = params.initial(request.GET)
    sort = params.choice(request.GET, "sort", list(REPORTER_SORTS), default="name", label="排序")
    letters = Counter(row["initial"] for row in table if not role or role in row["roles"])
    rows = [row for row in table if (not role or role in row["roles"]) and (not initial or row["initial"] == initial)]
    if sort in SORTS_BY_YEAR:
        rows = with_years(rows, reporter_years())
    rows.sort(key=REPORTER_SORTS[sort][1])
    role_labels = dict(BylineRole.choices)
    page = paginate(request, rows, REPORTERS_PER_PAGE)
    if sort not in SORTS_BY_YEAR:
        page.object_list = with_years(page.object_list, reporter_years([row["pk"] for row in page.object_list]))
    # The table is shared by every request: label copies of this page's rows only.
    page.object_list = [
        {**row, "role_labels": [label for value, label in BylineRole.choices if value in row["roles"]]}
        for row in page.object_list
    ]
    return render(
        request,
        "archive/reporter_list.html",
        {
            "page": page,
            "total": len(table),
            "matching": len(rows),
            "role": role,
            "role_label": role_labels.get(role, ""),
            "roles": BylineRole.choices,
            "initial": initial,
            "letters": sorted(letters.items(), key=lambda item: (item[0] == "#", item[0])),
            "sort": sort,
            "sorts": [(key, label) for key, (label, _) in REPORTER_SORTS.items()],
        },
    )


def year_chart(rows):
    """Bar geometry for an SVG chart of [(year, count)], every year in the span shown."""
    counts = {row["year"]: row["count"] for row in rows if row["year"]}
    if not counts:
        return None
    years = list(range(min(counts), max(counts) + 1))
    peak = max(counts.values())
    bar_width, gap, height = 28, 6, 120
    bars = []
    for index, year in enumerate(years):
        count = counts.get(year, 0)
        bar_height = round(height * count / peak) if count else 0
        bars.append(
            {
                "year": year,
                "count": count,
                "x": index * (bar_width + gap),
                "y": 20 + height - bar_height,
                "value_y": 20 + height - bar_height - 4,
                "height": bar_height,
                "label_x": index * (bar_width + gap) + bar_width / 2,
            }
        )
    return {
        "bars": bars,
        "bar_width": bar_width,
        "width": len(years) * (bar_width + gap),
        "height": height + 44,
        "baseline": 20 + height,
        "label_y": height + 38,
        "total": sum(counts.values()),
    }


def papers_by_year(reporter):
    """Which titles a reporter wrote for, year by year: {"years": [...],
    "rows": [{"paper": title, "counts": [articles per year]}]}, or None."""
    rows = (
        Byline.objects.filter(reporter=reporter)
        .values_list("article__paper_id", ExtractYear("article__issue_date"))
        .annotate(count=Count("article_id", distinct=True))
        .order_by()
    )
    counts = {(paper_id, year): count for paper_id, year, count in rows}
    if not counts:
        return None
    years = sorted({year for _, year in counts})
    papers = Newspaper.objects.filter(pk__in={paper_id for paper_id, _ in counts})
    return {
        "years": years,
        "rows": [{"paper": paper, "counts": [counts.get((paper.pk, year), 0) for year in years]} for paper in papers],
    }


def reporter_summary(reporter):
    """Roles and co-reporters of one reporter, once per generation."""

    def compute():
        roles = set(Byline.objects.filter(reporter=reporter).values_list("role", flat=True).distinct().order_by())
        co_reporters = list(
            Byline.objects.filter(article__in=Byline.objects.filter(reporter=reporter).values("article_id"))
            .exclude(reporter=reporter)
            .values("reporter__name", "reporter__slug")
            .annotate(shared=Count("article_id", distinct=True))
            .order_by("-shared", "reporter__slug")[:TOP_REPORTERS]
        )
        return {
            "roles": roles,
            "papers_by_year": papers_by_year(reporter),
            "co_reporters": [
                {"name": row["reporter__name"], "slug": row["reporter__slug"], "shared": row["shared"]}
                for row in co_reporters
            ],
        }

    return cached_value(f"reporter-summary:{reporter.pk}", compute)


@cache_public_page
def reporter_detail(request, slug):
    reporter = get_object_or_404(Reporter, slug=slug)
    ids, per_year = reporter_listing(reporter.pk)
    summary = reporter_summary(reporter)
    return render(
        request,
        "archive/reporter_detail.html",
        {
            "reporter": reporter,
            "page": paginate_articles(request, ids, ARTICLES_PER_PAGE),
            "chart": year_chart([{"year": year, "count": count} for year, count in per_year]),
            "co_reporters": summary["co_reporters"],
            "papers_by_year": summary["papers_by_year"],
            "role_labels": [label for value, label in BylineRole.choices if value in summary["roles"]],
        },
    )


# Topics ---------------------------------------------------------------------


@cache_public_page
def topic_list(request):
    return render(request, "archive/topic_list.html", {"topics": topic_counts()})


def topic_summary(topic):
    """Top reporters of one topic, once per generation."""

    def compute():
        in_topic = Article.topics.through.objects.filter(topic=topic)
        top = list(
            Byline.objects.filter(article__in=in_topic.values("article_id"))
            .values("reporter__name", "reporter__slug")
            .annotate(topic_articles=Count("article_id", distinct=True))
            .order_by("-topic_articles", "reporter__slug")[:TOP_REPORTERS]
        )
        return {
            "top_reporters": [
                {"name": row["reporter__name"], "slug": row["reporter__slug"], "topic_articles": row["topic_articles"]}
                for row in top
            ],
        }

    return cached_value(f"topic-summary:{topic.pk}", compute)


@cache_public_page
def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    # (article, topic) pairs are unique, so no DISTINCT is needed.
    ids, per_year = topic_listing(topic.pk)
    summary = topic_summary(topic)
    return render(
        request,
        "archive/topic_detail.html",
        {
            "topic": topic,
            "page": paginate_articles(request, ids, ARTICLES_PER_PAGE),
            "chart": year_chart([{"year": year, "count": count} for year, count in per_year]),
            "top_reporters": summary["top_reporters"],
        },
    )


# Errors ---------------------------------------------------------------------


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database: whatever failed may fail again.
    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render({"newspaper_name": settings.NEWSPAPER_NAME, "home_url": reverse("archive:home")})
    )
