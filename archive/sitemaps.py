"""The sitemap: fixed pages, titles, issues, articles, reporters and topics.

``/sitemap.xml`` is an index pointing at one file per section (and per page of
a section), so the archive stays within the protocol's 50,000 URLs a file.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
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


class PaperSitemap(ArchiveSitemap):
    changefreq = "daily"

    def items(self):
        return Newspaper.objects.order_by("slug").only("slug")


class IssueSitemap(ArchiveSitemap):
    changefreq = "monthly"

    def items(self):
        return Issue.objects.order_by("publication_date", "paper_id").only("paper_id", "publication_date", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class ArticleSitemap(ArchiveSitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.order_by("pk").only("pk", "paper_id", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class ReporterSitemap(ArchiveSitemap):
    changefreq = "weekly"

    def items(self):
        return Reporter.objects.order_by("slug").only("slug")


class TopicSitemap(ArchiveSitemap):
    changefreq = "weekly"

    def items(self):
        return Topic.objects.order_by("position", "name").only("slug")


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
