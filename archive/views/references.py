"""Citations of articles: what each format is made from, the formats shown on
an article's page, and RIS / BibTeX files of one article or of one page of
search results for a reference manager."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from archive import citations
from archive.addresses import absolute_url, permanent_redirect
from archive.context_processors import paper_name
from archive.models import Article
from archive.pagecache import cache_public_page
from archive.views.common import paper_view
from archive.views.search import run_search


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
