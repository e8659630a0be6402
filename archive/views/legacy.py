"""Addresses from before the archive held several titles: each answers with a
permanent redirect to the same page of the title it meant."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from archive.addresses import permanent_redirect
from archive.listings import legacy_paper
from archive.models import Article, Issue, paper_slugs


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
