"""What the archive's pages share: pagination, articles fetched for a list,
a page of a reporter's or topic's articles, the title named in an address, a year-by-year bar chart and the table of
reporters who wrote most of a set of articles."""

from __future__ import annotations

import functools

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render

from archive import params
from archive.models import Article, Byline, Newspaper

ARTICLES_PER_PAGE = 30
TOP_REPORTERS = 10


def paginate(request, items, per_page):
    """The requested page; a number past the end gives the last page, a
    malformed one a 400 (:class:`archive.params.BadParameter`)."""
    return Paginator(items, per_page).get_page(params.page(request.GET))


def listing(queryset):
    """Articles as lists show them: the raw dump text and the JSON fields no
    list shows (each decoded per row) stay in the database."""
    return queryset.for_listing().defer("source_text", "keywords", "edited_fields", "reviewed", "created_at")


def paginate_articles(request, ids):
    """A page of :data:`ARTICLES_PER_PAGE` articles from an ordered id list, fetched for listing."""
    page = paginate(request, ids, ARTICLES_PER_PAGE)
    found = listing(Article.objects.filter(pk__in=list(page.object_list))).in_bulk()
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    return page


def article_list_page(request, template, listing, **context):
    """A page of a reporter's or a topic's articles: ``listing`` is (ordered
    article ids, [(year, count)]) from :mod:`archive.listings`; the page shows
    one page of them and the chart of their years, with ``context``."""
    ids, per_year = listing
    return render(
        request, template, {"page": paginate_articles(request, ids), "chart": year_chart(per_year), **context}
    )


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


def top_reporters(article_ids, exclude=None):
    """[{"name", "slug", "count"}] of the :data:`TOP_REPORTERS` reporters with
    the most of the articles ``article_ids`` (a subquery of article ids), most
    first; ``exclude`` leaves a reporter out (the one whose page it is)."""
    bylines = Byline.objects.filter(article__in=article_ids)
    if exclude is not None:
        bylines = bylines.exclude(reporter=exclude)
    rows = (
        bylines.values("reporter__name", "reporter__slug")
        .annotate(count=Count("article_id", distinct=True))
        .order_by("-count", "reporter__slug")[:TOP_REPORTERS]
    )
    return [{"name": row["reporter__name"], "slug": row["reporter__slug"], "count": row["count"]} for row in rows]


def year_chart(rows):
    """Bar geometry for an SVG chart of [(year, count)], every year in the span shown
    (rows without a year are left out)."""
    counts = {year: count for year, count in rows if year}
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
