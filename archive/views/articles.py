"""An article's page: its text, bylines and topics, its neighbours in the
issue, the other part of an article continued on another page, related
articles, the printed page it is on, and its citations."""

from __future__ import annotations

import logging

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from archive import search
from archive.addresses import permanent_redirect
from archive.models import Article
from archive.pagecache import cache_public_page, is_editor
from archive.printed_pages import page_number_of
from archive.views.common import paper_view
from archive.views.references import citation_formats, reference

logger = logging.getLogger(__name__)

RELATED_LIMIT = 5


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


@cache_public_page
@paper_view
def article_detail(request, paper, pk):
    article = get_object_or_404(Article.objects.for_listing().defer("source_text").prefetch_related("topics"), pk=pk)
    if article.paper_id != paper.pk:
        # Filed under another title (or moved there since): its own address.
        return permanent_redirect(request, article.get_absolute_url())
    # The issue's articles in printed order, in one query: the previous and
    # next article, the continuation's other part and the printed page all
    # come from this list (an issue has tens of articles).
    in_issue = list(
        article.issue.articles.select_related("section")
        .only(
            *("pk", "paper_id", "issue_id", "position", "headline", "paragraphs", "kind"),
            *("continued_from", "continued_to", "continues_id", "section_id", "section__name"),
        )
        .order_by("position", "pk")
    )
    others = [sibling for sibling in in_issue if sibling.pk != article.pk]
    # Positions can have gaps after an editor deletes an article.
    previous_article = next((a for a in reversed(others) if a.position < article.position), None)
    next_article = next((a for a in others if a.position > article.position), None)
    # The other parts of a story printed across pages (archive.continuations).
    earlier_part = next((a for a in others if a.pk == article.continues_id), None)
    later_part = next((a for a in others if a.continues_id == article.pk), None) if article.continued_to else None
    ref = reference(request, article)
    number = page_number_of([(a.pk, a.section_id) for a in in_issue], article.pk)
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
            "earlier_part": earlier_part,
            "later_part": later_part,
            "related": related_for(article),
            "reference": ref,
            "edit_url": edit_url(request, article),
            "page_url": page_url,
            "citations": citation_formats(ref),
        },
    )
