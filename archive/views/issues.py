"""An issue of a title, and each of its printed pages (版面) with the
navigator between them, the issues before and after it, and the same day in
the archive's other titles."""

from __future__ import annotations

from collections import Counter

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from archive.models import ArticleKind, Issue
from archive.pagecache import cache_public_page
from archive.printed_pages import printed_pages
from archive.views.common import listing, paper_view


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
