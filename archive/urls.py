import datetime

from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, register_converter

from archive import api, feeds, sitemaps
from archive.pagecache import cache_public_page
from archive.sitemaps import SITEMAPS
from archive.views import articles, dates, issues, legacy, references, reporters, search, titles, topics


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            # Shaped like a date but not one (2024-02-30): no such page.
            raise ValueError(value) from exc

    def to_url(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDateConverter, "isodate")


class ReferenceFormatConverter:
    """The reference-manager files offered: RIS and BibTeX."""

    regex = "ris|bib"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReferenceFormatConverter, "refformat")

app_name = "archive"

# The pages of one title, under /papers/SLUG/.
paper_patterns = [
    path("", titles.paper_detail, name="paper_detail"),
    path("issues/", dates.issue_jump, name="issue_jump"),
    path("issues/<isodate:day>/", issues.issue_detail, name="issue_detail"),
    path("issues/<isodate:day>/pages/<int:number>/", issues.issue_page, name="issue_page"),
    path("archive/", dates.archive_index, name="archive_index"),
    path("archive/<int:year>/", dates.archive_year, name="archive_year"),
    path("archive/<int:year>/<int:month>/", dates.archive_month, name="archive_month"),
    path("articles/<int:pk>/", articles.article_detail, name="article_detail"),
    path("articles/<int:pk>/cite.<refformat:fmt>", references.article_reference, name="article_reference"),
    path("feed/", cache_public_page(feeds.PaperFeed()), name="feed_paper"),
]

# What these meant before the archive held several titles: the one paper it
# held. They answer with a permanent redirect to the same page of that title.
legacy_patterns = [
    *(
        path(route, legacy.legacy_redirect, {"route": name}, name=f"legacy_{name}")
        for route, name in (
            ("issues/", "issue_jump"),
            ("archive/", "archive_index"),
            ("archive/<int:year>/", "archive_year"),
            ("archive/<int:year>/<int:month>/", "archive_month"),
        )
    ),
    path("issues/<isodate:day>/", legacy.legacy_issue, name="legacy_issue"),
    path("issues/<isodate:day>/pages/<int:number>/", legacy.legacy_issue, name="legacy_issue_page"),
    path("articles/<int:pk>/", legacy.legacy_article, name="legacy_article"),
    path("api/issues/<isodate:day>/", api.legacy_issue_detail, name="legacy_api_issue"),
]

urlpatterns = [
    path("", titles.home, name="home"),
    path("papers/", titles.paper_list, name="paper_list"),
    path("papers/<slug:paper>/", include(paper_patterns)),
    *legacy_patterns,
    path("reporters/", reporters.reporter_list, name="reporter_list"),
    path("reporters/<slug:slug>/", reporters.reporter_detail, name="reporter_detail"),
    path("topics/", topics.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", topics.topic_detail, name="topic_detail"),
    path("search/", search.search, name="search"),
    path("search/advanced/", search.advanced_search, name="advanced_search"),
    path("search/cite.<refformat:fmt>", references.search_references, name="search_references"),
    # Feeds (Atom)
    path("feeds/latest/", cache_public_page(feeds.LatestArticlesFeed()), name="feed_latest"),
    path("topics/<slug:slug>/feed/", cache_public_page(feeds.TopicFeed()), name="feed_topic"),
    path("reporters/<slug:slug>/feed/", cache_public_page(feeds.ReporterFeed()), name="feed_reporter"),
    # Sitemap: an index of per-section pages, so 100,000 articles stay within the protocol's limits.
    path(
        "sitemap.xml",
        cache_public_page(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "archive:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    # Read-only JSON API
    path("api/", api.api_root, name="api_root"),
    path("api/articles/", api.article_list, name="api_articles"),
    path("api/articles/<int:pk>/", api.article_detail, name="api_article"),
    path("api/issues/", api.issue_list, name="api_issues"),
    path("api/papers/", api.paper_list, name="api_papers"),
    path("api/papers/<slug:paper>/", api.paper_detail, name="api_paper"),
    path("api/papers/<slug:paper>/issues/<isodate:day>/", api.issue_detail, name="api_issue"),
    path("api/reporters/", api.reporter_list, name="api_reporters"),
    path("api/reporters/<slug:slug>/", api.reporter_detail, name="api_reporter"),
    path("api/topics/", api.topic_list, name="api_topics"),
]
