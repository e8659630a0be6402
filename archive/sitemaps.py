"""The sitemap: fixed pages, titles, issues, articles, reporters and topics.

``/sitemap.xml`` is an index pointing at one file per section (and per page of
a section), so the archive stays within the protocol's 50,000 URLs a file.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import QuerySet
from django.urls import reverse

from archive.addresses import public_path
from archive.models import Article, Issue, Newspaper, Reporter, Topic


class ArchiveSitemap(Sitemap):
    # Small files render quickly; the index lists as many as needed.
    limit = 500

    def get_urls(self, page=1, site=None, protocol=None):
        # Links point at the configured public address when there is one,
        # else at the host and scheme the request came in on.
        if settings.SITE_URL:
            scheme, _, domain = settings.SITE_URL.partition("://")
            site, protocol = _Site(domain), scheme
        return super().get_urls(page=page, site=site, protocol=protocol)


class _Site:
    def __init__(self, domain):
        self.domain = domain


class StaticPagesSitemap(ArchiveSitemap):
    changefreq = "daily"

    def items(self):
        return ["archive:home", "archive:paper_list", "archive:reporter_list", "archive:topic_list"]

    def location(self, item):
        return reverse(item)


class ModelSitemap(ArchiveSitemap):
    """Every row of ``queryset``, in a fixed order, with only the fields its address needs."""

    queryset: QuerySet

    def items(self):
        # A copy per request: the class attribute itself is never evaluated.
        return self.queryset.all()


class DatedSitemap(ModelSitemap):
    """Rows that say when they last changed. (Only these define ``lastmod``:
    Django reads every item's to date the index entry of a sitemap that has one.)"""

    def lastmod(self, item):
        return item.updated_at


class PaperSitemap(ModelSitemap):
    changefreq = "daily"
    queryset = Newspaper.objects.order_by("slug").only("slug")


class IssueSitemap(DatedSitemap):
    changefreq = "monthly"
    queryset = Issue.objects.order_by("publication_date", "paper_id").only("paper_id", "publication_date", "updated_at")


class ArticleSitemap(DatedSitemap):
    changefreq = "monthly"
    queryset = Article.objects.order_by("pk").only("pk", "paper_id", "updated_at")


class ReporterSitemap(ModelSitemap):
    changefreq = "weekly"
    queryset = Reporter.objects.order_by("slug").only("slug")


class TopicSitemap(ModelSitemap):
    changefreq = "weekly"
    queryset = Topic.objects.order_by("position", "name").only("slug")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "papers": PaperSitemap,
    "issues": IssueSitemap,
    "articles": ArticleSitemap,
    "reporters": ReporterSitemap,
    "topics": TopicSitemap,
}


def index(request, *args, **kwargs):
    """Django's sitemap index, its links naming ``SITE_URL`` when it is set
    (Django's own view names the host the request came in on), like every
    other absolute address of the archive."""
    response = sitemap_views.index(request, *args, **kwargs)
    if settings.SITE_URL:
        for item in response.context_data["sitemaps"]:
            parts = urlsplit(item.location)
            item.location = public_path(parts.path + (f"?{parts.query}" if parts.query else ""))
    return response
