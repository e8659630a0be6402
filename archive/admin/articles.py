"""The articles' admin: the article list with its filters and date search,
the change form beside the printed text, bylines, history and revert, and
the bulk actions (set topic, mark reviewed, re-parse)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from archive import editing
from archive.admin.article_forms import BODY_FIELDS, CLASSIFICATION_FIELDS, TITLE_FIELDS, ArticleForm, SetTopicForm
from archive.admin.common import report_reparse, url_name
from archive.admin.filters import NeedsReviewFilter, search_date
from archive.admin.history import HistoryAdmin, historic_record
from archive.models import Article, Byline, Issue


class BylineInline(admin.TabularInline):
    model = Byline
    fields = ["reporter", "role", "position"]
    autocomplete_fields = ["reporter"]
    extra = 1
    ordering = ["position", "pk"]
    verbose_name = "署名"
    verbose_name_plural = "署名（记者、身份、顺序）"


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    form = ArticleForm
    inlines = [BylineInline]
    list_display = [
        "title_display",
        "issue_date_display",
        "kind",
        "primary_topic",
        "reporter_names",
        "doubts_display",
        "reviewed",
    ]
    list_display_links = ["title_display"]
    list_filter = [
        "kind",
        ("primary_topic", admin.RelatedFieldListFilter),
        "topics",
        ("section", admin.RelatedOnlyFieldListFilter),
        "reviewed",
        NeedsReviewFilter,
    ]
    date_hierarchy = "issue__publication_date"
    # Newest issue first, in printed order within it: a walk of the
    # article_newest_first index, not a sort of the whole table.
    ordering = ["-issue_date", "position", "pk"]
    search_fields = ["headline", "paragraphs"]
    search_help_text = "按标题或正文中的文字查找；输入日期（如 2024-01-12）列出那一期的文章。"
    list_per_page = 50
    # Counting a filtered 100k-row table on every page costs more than it tells.
    show_full_result_count = False
    list_select_related = ["issue", "primary_topic"]
    readonly_fields = ["issue_link", "position", "public_link", "edited_fields_display", "doubts_display"]
    fieldsets = [
        ("标题", {"fields": TITLE_FIELDS}),
        ("分类", {"fields": [*CLASSIFICATION_FIELDS, "doubts_display", "reviewed"]}),
        ("正文", {"fields": BODY_FIELDS}),
        ("出处", {"fields": ["issue_link", "position", "public_link", "edited_fields_display"]}),
    ]
    actions = ["set_topic_action", "mark_reviewed", "mark_unreviewed", "reparse_issues_action"]
    history_list_display = ["headline"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).for_listing()
        if url_name(request) == "archive_article_changelist":
            # The list sorts the whole filtered table; without the bodies the
            # rows it sorts are a tenth of the size (2 s → 0.2 s at 100k).
            queryset = queryset.defer("paragraphs", "source_text")
        return queryset

    def has_add_permission(self, request):
        # Articles come from ingested issues; an editor corrects, never invents.
        return False

    def lookup_allowed(self, lookup, value, request=None):
        # A reporter's admin page links to the list of their articles.
        return lookup == "bylines__reporter__id__exact" or super().lookup_allowed(lookup, value, request)

    # -- list columns

    @admin.display(description="标题", ordering="headline")
    def title_display(self, article):
        return article.title or "(无标题)"

    @admin.display(description="出版日期", ordering="issue_date")
    def issue_date_display(self, article):
        return article.issue_date

    def get_search_results(self, request, queryset, search_term):
        """A date (2024-01-12, 2024/1/12, 2024年1月12日) finds that day's articles."""
        day = search_date(search_term)
        if day is not None:
            return queryset.filter(issue_date=day), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="记者")
    def reporter_names(self, article):
        return "、".join(byline.reporter.name for byline in article.bylines.all())

    @admin.display(description="解析存疑")
    def doubts_display(self, article):
        return "、".join(article.doubt_labels) or "—"

    # -- read-only fields

    @admin.display(description="期次")
    def issue_link(self, article):
        url = reverse("admin:archive_issue_change", args=[article.issue_id])
        return format_html('<a href="{}">{}</a>', url, article.issue)

    @admin.display(description="人工修改过的字段")
    def edited_fields_display(self, article):
        return editing.field_labels(article.edited_fields) or "（无，重新解析会更新全部字段）"

    # -- saving: one history record, edited fields remembered, index refreshed

    def save_model(self, request, obj, form, change):
        record = historic_record(obj)
        if record is not None:
            result = editing.revert_article(obj, record, user=request.user)
            if not result.relations_restored:
                messages.warning(request, "该版本由入库程序记录，不含主题和署名：已恢复各字段，主题和署名保持不变。")
            elif result.missing_reporters:
                messages.warning(
                    request, f"该版本中有 {len(result.missing_reporters)} 条署名的记者已被删除，未能恢复。"
                )
            return
        editing.ensure_baseline(obj.pk)
        obj._history_user = request.user
        obj.skip_history_when_saving = True
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = set(form.changed_data)
        if any(formset.has_changed() for formset in formsets):
            changed.add("bylines")
        editing.record_article_edit(form.instance, changed, user=request.user)

    def delete_model(self, request, obj):
        editing.delete_articles([obj])

    def delete_queryset(self, request, queryset):
        editing.delete_articles(queryset)

    # -- bulk actions

    @admin.action(description="设置所选文章的主要主题…", permissions=["change"])
    def set_topic_action(self, request, queryset):
        if "apply" in request.POST:
            form = SetTopicForm(request.POST)
            if form.is_valid():
                topic = form.cleaned_data["topic"]
                count = editing.set_topic(queryset, topic, user=request.user)
                self.message_user(request, f"已将 {count} 篇文章的主要主题设为“{topic.name}”。", messages.SUCCESS)
                return None
        else:
            form = SetTopicForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "设置主要主题",
            "opts": self.model._meta,
            "form": form,
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/archive/article/set_topic.html", context)

    @admin.action(description="标记为已审核", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        count = editing.set_reviewed(queryset, True, user=request.user)
        self.message_user(request, f"已将 {count} 篇文章标记为已审核。", messages.SUCCESS)

    @admin.action(description="标记为未审核", permissions=["change"])
    def mark_unreviewed(self, request, queryset):
        count = editing.set_reviewed(queryset, False, user=request.user)
        self.message_user(request, f"已将 {count} 篇文章标记为未审核。", messages.SUCCESS)

    @admin.action(description="重新解析所选文章所在的期次（保留人工修改）", permissions=["change"])
    def reparse_issues_action(self, request, queryset):
        issues = Issue.objects.filter(pk__in=queryset.values("issue_id"))
        report_reparse(self, request, editing.reparse_issues(issues))
