"""The reporters' admin: names and their aliases (the other spellings that
ingest files under a reporter), renames that keep the old name, and merging
several reporters into one."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from archive import editing
from archive.admin.common import DeletionQueuesArticles, url_name
from archive.admin.history import HistoryAdmin
from archive.models import Article, Reporter, ReporterAlias


class NameForm(forms.ModelForm):
    """A reporter's name or one of their aliases. A printed name must lead
    ingest to one person, so a name already taken by the other kind is
    refused (``clash`` says by whom)."""

    def clash(self, name: str) -> str | None:
        raise NotImplementedError

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        problem = self.clash(name)
        if problem is not None:
            raise ValidationError(problem)
        return name


class ReporterForm(NameForm):
    class Meta:
        model = Reporter
        fields = ["name"]

    def clash(self, name):
        alias = ReporterAlias.objects.filter(name=name).exclude(reporter_id=self.instance.pk).first()
        return None if alias is None else f"“{name}”已是记者 {alias.reporter.name} 的别名；如是同一人，请合并。"


class ReporterAliasForm(NameForm):
    class Meta:
        model = ReporterAlias
        fields = ["name"]

    def clash(self, name):
        if Reporter.objects.filter(name=name).exists():
            return f"已有名为“{name}”的记者；如是同一人，请在记者列表中合并。"
        return None


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
