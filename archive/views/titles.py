"""The archive's front door, the list of its titles, and a title's home page
(its newest issue, the calendar of its month, its years and topics)."""

from __future__ import annotations

from django.shortcuts import render

from archive.caching import cached_value
from archive.listings import paper_summaries, topic_counts
from archive.models import Article, Issue, Reporter
from archive.pagecache import cache_public_page
from archive.views.common import listing, paper_view
from archive.views.dates import archive_years, article_counts_between, month_calendar, month_range, paper_totals

HOME_ARTICLES = 12


def archive_totals():
    summaries = paper_summaries()
    return {
        "paper_count": len(summaries),
        "issue_count": sum(row["issue_count"] for row in summaries),
        "article_count": sum(row["article_count"] for row in summaries),
        "reporter_count": cached_value("reporter-count", Reporter.objects.count),
    }


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
