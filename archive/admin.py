"""The editors' admin: correct what the parser got wrong.

Domain logic (merging, re-parsing, re-indexing, history grouping) lives in
``archive.editing``; this module only wires it to Django's admin.
"""

from __future__ import annotations

import datetime
import itertools
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from archive import editing, params
from archive.models import Article, Byline, Issue, Newspaper, Reporter, ReporterAlias, Section, Topic, unique_slug

admin.site.site_header = f"{settings.NEWSPAPER_NAME} 数字报库 · 编辑后台"
admin.site.site_title = f"{settings.NEWSPAPER_NAME} 编辑后台"
admin.site.index_title = "资料管理"
# The page's whole width goes to the form and the printed text beside it:
# at 1366 px the navigation column left a headline field too narrow to show
# a headline (the breadcrumbs and the index page lead everywhere it did).
admin.site.enable_nav_sidebar = False

SEARCH_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def search_date(term: str):
    """The day an admin search box names, or None when it names none."""
    match = SEARCH_DATE.match(term or "")
    if match is None:
        return None
    try:
        return datetime.date(*map(int, match.groups()))
    except ValueError:
        return None


# Keywords are typed as one line; any of these separates them.
KEYWORD_SEPARATORS = re.compile(r"[、,，;；\n\r\t]+")


def url_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.url_name if match is not None else ""


def historic_record(instance):
    """The history version an instance was built from (the admin's revert page), or None."""
    return getattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)


class CountAndLinkMixin:
    """Columns shared by the archive's admin pages, and the checks of the
    admin's own query parameters that Django leaves to a 500."""

    def get_search_results(self, request, queryset, search_term):
        # SQLite refuses a LIKE pattern over 50,000 bytes; no one searches with more than this.
        return super().get_search_results(request, queryset, search_term[: params.MAX_TEXT])

    def changelist_view(self, request, extra_context=None):
        if self.date_hierarchy:
            # Django's date drill-down reads these with int() and datetime(), and
            # a year beyond any date overflows instead of being refused.
            for part, maximum in (("year", 9999), ("month", 12), ("day", 31)):
                params.number(request.GET, f"{self.date_hierarchy}__{part}", maximum=maximum, label="日期")
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # An empty _to_field is taken as a field name ("") and fails the lookup.
        if "_to_field" in request.GET and not request.GET["_to_field"].strip():
            raise params.BadParameter("_to_field", "_to_field must name a field", "参数 _to_field 不能为空。")
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description="文章数", ordering="article_count")
    def article_count(self, obj):
        # Annotated by each admin's get_queryset.
        return obj.article_count

    @admin.display(description="公开页面")
    def public_link(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<a href="{0}">{0}</a>', obj.get_absolute_url())


class DeletionQueuesArticles:
    """Deleting a reporter, topic or issue changes (or removes) articles that
    search and the public pages show. Their ids are queued for the index in
    the deletion's own transaction, so a worker killed after the commit
    cannot leave search behind. Each admin says which articles a deletion
    touches."""

    def touched_articles(self, queryset):
        raise NotImplementedError

    def _delete_and_queue(self, delete, queryset) -> None:
        ids = list(self.touched_articles(queryset).values_list("pk", flat=True).distinct())
        with transaction.atomic():
            delete()
            editing.refresh_public_copies(ids)

    def delete_model(self, request, obj):
        self._delete_and_queue(
            lambda: super(DeletionQueuesArticles, self).delete_model(request, obj), type(obj).objects.filter(pk=obj.pk)
        )

    def delete_queryset(self, request, queryset):
        self._delete_and_queue(lambda: super(DeletionQueuesArticles, self).delete_queryset(request, queryset), queryset)


# Bookkeeping columns an editor never sets; a change to them is no news in the history.
HIDDEN_HISTORY_FIELDS = {"edited_fields", "updated_at"}


class HistoryAdmin(CountAndLinkMixin, SimpleHistoryAdmin):
    """Our admin pages with history: a history list the CSP lets through,
    showing what editors changed.

    The state recorded automatically just before an editor's first change
    (``editing.BASELINE_REASON``) is not listed as an event of its own: the
    editor's change is, with a link to revert to the state before it.
    """

    object_history_list_template = "admin/archive/object_history_list.html"

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        for newer, older in itertools.pairwise(records):
            if older.history_change_reason == editing.BASELINE_REASON:
                older.automatic_baseline = True
                newer.version_before = older
        hidden = {
            str(field.verbose_name) for field in self.model._meta.concrete_fields if field.name in HIDDEN_HISTORY_FIELDS
        }
        for record in records:
            changes = getattr(record, "history_delta_changes", None)
            if changes:
                record.history_delta_changes = [change for change in changes if str(change["field"]) not in hidden]


# --- form fields for the article's JSON lists ------------------------------


class ParagraphsField(forms.CharField):
    """The body as text, one paragraph per line (blank lines are ignored)."""

    widget = forms.Textarea(attrs={"rows": 18, "class": "archive-body"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return self.to_python(data) != self.to_python(initial or [])


class KeywordsField(forms.CharField):
    """Keywords on one line, separated by 、 or commas."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "、".join(str(word) for word in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return [str(word) for word in value]
        text = super().to_python(value) or ""
        words = [word.strip() for word in KEYWORD_SEPARATORS.split(text)]
        return list(dict.fromkeys(word for word in words if word))

    def has_changed(self, initial, data):
        return self.to_python(data) != self.to_python(initial or [])


class ArticleForm(forms.ModelForm):
    paragraphs = ParagraphsField(label="正文段落", required=False, help_text="每行一段。")
    keywords = KeywordsField(
        label="关键词",
        required=False,
        help_text="用顿号或逗号分隔。",
        widget=forms.TextInput(attrs={"class": "vTextField archive-wide"}),
    )

    class Meta:
        model = Article
        fields = [
            "kicker",
            "headline",
            "subtitle",
            "column",
            "kind",
            "section",
            "primary_topic",
            "topics",
            "keywords",
            "event_date",
            "reviewed",
            "paragraphs",
            "continued_from",
            "continued_to",
        ]
        wide = forms.TextInput(attrs={"class": "vTextField archive-wide"})
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "kicker": wide,
            "headline": wide,
            "subtitle": wide,
            "column": wide,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = historic_record(self.instance)
        if record is not None and "topics" in self.fields and editing.carries_relations(record):
            # The revert page shows the topics of that version, not today's.
            self.initial["topics"] = [row.topic_id for row in record.topics.all()]


# --- articles ---------------------------------------------------------------


class BylineInline(admin.TabularInline):
    model = Byline
    fields = ["reporter", "role", "position"]
    autocomplete_fields = ["reporter"]
    extra = 1
    ordering = ["position", "pk"]
    verbose_name = "署名"
    verbose_name_plural = "署名（记者、身份、顺序）"


class NeedsReviewFilter(admin.SimpleListFilter):
    """The articles the parser was unsure of; marking one reviewed takes it off the list."""

    title = "解析存疑"
    parameter_name = "doubts"

    def lookups(self, request, model_admin):
        return [("open", "待核查"), ("any", "存疑（含已审核）")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.needs_review()
        if self.value() == "any":
            return queryset.exclude(doubts=[])
        return queryset


class SetTopicForm(forms.Form):
    topic = forms.ModelChoiceField(Topic.objects.all(), label="主要主题", empty_label=None)


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
        ("标题", {"fields": ["kicker", "headline", "subtitle", "column"]}),
        (
            "分类",
            {
                "fields": [
                    "kind",
                    "section",
                    "primary_topic",
                    "topics",
                    "keywords",
                    "event_date",
                    "doubts_display",
                    "reviewed",
                ]
            },
        ),
        ("正文", {"fields": ["paragraphs", "continued_from", "continued_to"]}),
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


def report_reparse(model_admin, request, report):
    if report.issues:
        model_admin.message_user(request, report.message, messages.SUCCESS)
    for error in report.errors:
        model_admin.message_user(request, f"重新解析失败：{error}", messages.ERROR)


# --- reporters --------------------------------------------------------------


class ReporterForm(forms.ModelForm):
    class Meta:
        model = Reporter
        fields = ["name"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        alias = ReporterAlias.objects.filter(name=name).exclude(reporter_id=self.instance.pk).first()
        if alias is not None:
            raise ValidationError(f"“{name}”已是记者 {alias.reporter.name} 的别名；如是同一人，请合并。")
        return name


class ReporterAliasForm(forms.ModelForm):
    class Meta:
        model = ReporterAlias
        fields = ["name"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Reporter.objects.filter(name=name).exists():
            raise ValidationError(f"已有名为“{name}”的记者；如是同一人，请在记者列表中合并。")
        return name


class ReporterAliasInline(admin.TabularInline):
    model = ReporterAlias
    form = ReporterAliasForm
    fields = ["name"]
    extra = 0
    verbose_name_plural = "别名（报纸上出现过的其他写法，之后入库时归到此人名下）"


class MergeReportersForm(forms.Form):
    kept = forms.ModelChoiceField(
        Reporter.objects.none(), label="保留哪一位", widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, reporters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].queryset = reporters


@admin.register(Reporter)
class ReporterAdmin(DeletionQueuesArticles, HistoryAdmin):
    form = ReporterForm
    inlines = [ReporterAliasInline]
    list_display = ["name", "slug", "article_count", "alias_names"]
    search_fields = ["name", "aliases__name"]
    readonly_fields = ["slug", "public_link", "article_count_display"]
    fields = ["name", "slug", "public_link", "article_count_display"]
    actions = ["merge_selected"]
    list_per_page = 100

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # Counts only where shown: autocomplete and forms need no aggregate.
        if url_name(request) == "archive_reporter_changelist":
            queryset = queryset.annotate(article_count=Count("bylines__article", distinct=True))
            queryset = queryset.prefetch_related("aliases")
        return queryset

    @admin.display(description="别名")
    def alias_names(self, reporter):
        return "、".join(alias.name for alias in reporter.aliases.all())

    @admin.display(description="文章数")
    def article_count_display(self, reporter):
        if not reporter.pk:
            return "-"
        count = Article.objects.by_reporter(reporter).count()
        url = reverse("admin:archive_article_changelist") + f"?bylines__reporter__id__exact={reporter.pk}"
        return format_html('<a href="{}">{} 篇</a>', url, count)

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            try:
                editing.rename_reporter(obj, obj.name, user=request.user)
            except editing.EditingError as exc:
                # The form validated; a clash here means a concurrent edit.
                self.message_user(request, f"未能更名：{exc}", messages.ERROR)
            return
        super().save_model(request, obj, form, change)

    def touched_articles(self, queryset):
        return Article.objects.filter(bylines__reporter__in=queryset)

    def has_delete_permission(self, request, obj=None):
        # Deleting a reporter deletes their bylines; editors may only delete a
        # reporter without any (and merge the others), one at a time.
        if not super().has_delete_permission(request, obj):
            return False
        if request.user.is_superuser:
            return True
        return obj is not None and not obj.bylines.exists()

    def has_merge_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}") and request.user.has_perm(
            f"{opts.app_label}.delete_{opts.model_name}"
        )

    @admin.action(description="合并所选记者…", permissions=["merge"])
    def merge_selected(self, request, queryset):
        reporters = Reporter.objects.filter(pk__in=queryset.values("pk")).with_stats().order_by("-article_count", "pk")
        if reporters.count() < 2:
            self.message_user(request, "请至少选择两位记者：一位保留，其余合并到其名下。", messages.WARNING)
            return None
        form = MergeReportersForm(request.POST if "confirm" in request.POST else None, reporters=reporters)
        if form.is_bound and form.is_valid():
            kept = form.cleaned_data["kept"]
            merged = [reporter for reporter in reporters if reporter.pk != kept.pk]
            try:
                result = editing.merge_reporters(kept, merged, user=request.user)
            except editing.EditingError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            self.message_user(request, result.message, messages.SUCCESS)
            return None
        if not form.is_bound:
            form = MergeReportersForm(initial={"kept": reporters[0].pk}, reporters=reporters)
        context = {
            **self.admin_site.each_context(request),
            "title": "合并记者",
            "opts": self.model._meta,
            "form": form,
            "reporters": reporters,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/archive/reporter/merge_confirmation.html", context)


# --- topics and sections ----------------------------------------------------


@admin.register(Topic)
class TopicAdmin(DeletionQueuesArticles, HistoryAdmin):
    list_display = ["name", "slug", "position", "article_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    fields = ["name", "slug", "position", "description"]
    readonly_fields = ["slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles", distinct=True))

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = unique_slug(Topic, obj.name)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if "name" in form.changed_data:
                editing.topic_changed(obj)
            else:
                # Order and description show on public pages only.
                editing.refresh_public_copies()

    def touched_articles(self, queryset):
        return Article.objects.filter(Q(topics__in=queryset) | Q(primary_topic__in=queryset))


@admin.register(Section)
class SectionAdmin(CountAndLinkMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    fields = ["name", "slug"]
    readonly_fields = ["slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            editing.section_changed(obj)


# --- titles -----------------------------------------------------------------


@admin.register(Newspaper)
class NewspaperAdmin(HistoryAdmin):
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

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            editing.paper_changed(obj, slug_changed=change and "slug" in form.changed_data)


# --- issues -----------------------------------------------------------------


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
class IssueAdmin(DeletionQueuesArticles, HistoryAdmin):
    list_display = ["publication_date", "paper", "date_inferred", "source_name", "article_count", "ingested_at"]
    list_filter = ["paper", "date_inferred"]
    list_select_related = ["paper"]
    date_hierarchy = "publication_date"
    search_fields = ["source_name"]
    fields = [
        "paper",
        "publication_date",
        "date_inferred",
        "source_name",
        "source_encoding",
        "source_sha256",
        "ingested_at",
        "public_link",
        "unassigned_display",
        "source_text_display",
    ]
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
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            editing.refresh_public_copies(obj.articles.values_list("pk", flat=True))

    def touched_articles(self, queryset):
        return Article.objects.filter(issue__in=queryset)

    @admin.action(description="从原始文本重新解析所选期次（保留人工修改）", permissions=["change"])
    def reparse_action(self, request, queryset):
        report_reparse(self, request, editing.reparse_issues(queryset))
