"""The issues' admin: an issue's printed text and unassigned lines, its
articles, moving it to its right title or date, and re-parsing it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from archive import editing
from archive.admin.common import DeletionQueuesArticles, SaveQueuesArticles, report_reparse
from archive.admin.history import HistoryAdmin
from archive.models import Article, Issue


class IssueArticleInline(admin.TabularInline):
    model = Article
    fields = ["position", "title_link", "kind", "reviewed"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = "本期文章"

    @admin.display(description="标题")
    def title_link(self, article):
        url = reverse("admin:archive_article_change", args=[article.pk])
        return format_html('<a href="{}">{}</a>', url, article.title or "(无标题)")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(DeletionQueuesArticles, SaveQueuesArticles, HistoryAdmin):
    list_display = ["publication_date", "paper", "date_inferred", "source_name", "article_count", "ingested_at"]
    list_filter = ["paper", "date_inferred"]
    list_select_related = ["paper"]
    date_hierarchy = "publication_date"
    search_fields = ["source_name"]
    # An editor corrects an issue's title and date; the rest is what ingest read.
    readonly_fields = [
        "date_inferred",
        "source_name",
        "source_encoding",
        "source_sha256",
        "ingested_at",
        "public_link",
        "unassigned_display",
        "source_text_display",
    ]
    fields = ["paper", "publication_date", *readonly_fields]
    inlines = [IssueArticleInline]
    actions = ["reparse_action"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    def has_add_permission(self, request):
        # Issues come in through `manage.py ingest`, which parses the file.
        return False

    @admin.display(description="未归属文本")
    def unassigned_display(self, issue):
        if not issue.unassigned:
            return "（无）"
        return format_html_join("", '<pre class="archive-source">{}</pre>', ((str(item),) for item in issue.unassigned))

    @admin.display(description="原始文本")
    def source_text_display(self, issue):
        return format_html('<pre class="archive-source archive-source-issue">{}</pre>', issue.source_text)

    def save_model(self, request, obj, form, change):
        if change and {"paper", "publication_date"} & set(form.changed_data):
            # The form checked the title's date is free; a clash here means a concurrent edit.
            try:
                if "paper" in form.changed_data:
                    editing.move_issue(obj, obj.paper, user=request.user)
                if "publication_date" in form.changed_data:
                    editing.change_issue_date(obj, obj.publication_date, user=request.user)
            except editing.EditingError as exc:
                self.message_user(request, f"未能保存：{exc}", messages.ERROR)
            return
        super().save_model(request, obj, form, change)

    def saved(self, obj, form, change):
        editing.refresh_public_copies(obj.articles.values_list("pk", flat=True))

    def touched_articles(self, queryset):
        return Article.objects.filter(issue__in=queryset)

    @admin.action(description="从原始文本重新解析所选期次（保留人工修改）", permissions=["change"])
    def reparse_action(self, request, queryset):
        report_reparse(self, request, editing.reparse_issues(queryset))
