"""The titles' admin: the newspapers the archive holds, their catalogue
data, and counts of their issues and articles."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Max, Min, OuterRef, Subquery

from archive import editing
from archive.admin.common import SaveQueuesArticles
from archive.admin.history import HistoryAdmin
from archive.models import Article, Issue, Newspaper


@admin.register(Newspaper)
class NewspaperAdmin(SaveQueuesArticles, HistoryAdmin):
    list_display = ["name", "slug", "place", "identifier", "issue_count", "article_count", "first_date", "last_date"]
    search_fields = ["name", "short_name", "place", "publisher", "identifier"]
    fields = [
        "name",
        "short_name",
        "slug",
        "place",
        "language",
        "publisher",
        "frequency",
        "first_issue",
        "last_issue",
        "identifier",
        "description",
        "public_link",
    ]
    readonly_fields = ["public_link"]

    def get_queryset(self, request):
        # Counts from each table's own title column: no join of issues with articles.
        issues = Issue.objects.filter(paper=OuterRef("pk")).order_by().values("paper")
        articles = Article.objects.filter(paper=OuterRef("pk")).order_by().values("paper")
        return (
            super()
            .get_queryset(request)
            .annotate(
                issue_count=Subquery(issues.annotate(n=Count("pk")).values("n")),
                article_count=Subquery(articles.annotate(n=Count("pk")).values("n")),
                first_date=Subquery(issues.annotate(d=Min("publication_date")).values("d")),
                last_date=Subquery(issues.annotate(d=Max("publication_date")).values("d")),
            )
        )

    @admin.display(description="期数", ordering="issue_count")
    def issue_count(self, paper):
        return paper.issue_count or 0

    @admin.display(description="文章数", ordering="article_count")
    def article_count(self, paper):
        return paper.article_count or 0

    @admin.display(description="最早一期", ordering="first_date")
    def first_date(self, paper):
        return paper.first_date or "-"

    @admin.display(description="最新一期", ordering="last_date")
    def last_date(self, paper):
        return paper.last_date or "-"

    def saved(self, obj, form, change):
        editing.paper_changed(obj, slug_changed=change and "slug" in form.changed_data)
