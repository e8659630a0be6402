"""A title's run by date: the index of its issues, month calendars, the list
of years, one year's and one month's issues, and the date box that jumps to
an issue."""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic.dates import MonthArchiveView, YearArchiveView

from archive import params
from archive.caching import cached_value
from archive.models import Article, Issue
from archive.pagecache import cache_public_page
from archive.views.common import paper_view


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


def paper_totals(paper):
    index = issue_index(paper)
    return {"issue_count": len(index), "article_count": sum(count for _, _, count in index)}


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
