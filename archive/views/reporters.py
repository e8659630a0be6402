"""Reporters: the list of everyone with a byline (by role, initial and sort),
and one reporter's page with their articles, years, titles and the reporters
they shared bylines with."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404, render

from archive import params
from archive.caching import cached_value
from archive.listings import (
    REPORTER_SORTS,
    SORTS_BY_YEAR,
    reporter_counts,
    reporter_listing,
    reporter_years,
    with_years,
)
from archive.models import Byline, BylineRole, Newspaper, Reporter
from archive.pagecache import cache_public_page
from archive.views.common import article_list_page, paginate, top_reporters

REPORTERS_PER_PAGE = 100


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
    """Roles, titles by year and co-reporters of one reporter, once per generation."""

    def compute():
        bylines = Byline.objects.filter(reporter=reporter)
        return {
            "roles": set(bylines.values_list("role", flat=True).distinct().order_by()),
            "papers_by_year": papers_by_year(reporter),
            # Those who shared most bylines with this reporter.
            "co_reporters": top_reporters(bylines.values("article_id"), exclude=reporter),
        }

    return cached_value(f"reporter-summary:{reporter.pk}", compute)


@cache_public_page
def reporter_detail(request, slug):
    reporter = get_object_or_404(Reporter, slug=slug)
    summary = reporter_summary(reporter)
    return article_list_page(
        request,
        "archive/reporter_detail.html",
        reporter_listing(reporter.pk),
        reporter=reporter,
        co_reporters=summary["co_reporters"],
        papers_by_year=summary["papers_by_year"],
        role_labels=[label for value, label in BylineRole.choices if value in summary["roles"]],
    )
