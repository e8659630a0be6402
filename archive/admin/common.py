"""What the archive's admin pages share: their count and link columns, the
checks of the admin's own query parameters, and the rule that a save or a
deletion queues the articles it touches for the index in its own
transaction."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html

from archive import editing, params


def url_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.url_name if match is not None else ""


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


class SaveQueuesArticles:
    """Saving a topic, section, title or issue changes what search and the
    public pages show of its articles. The admin's save and the editing
    step that queues those articles (``saved``) commit together, so a worker
    killed after the commit cannot leave search behind."""

    def saved(self, obj, form, change) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            self.saved(obj, form, change)


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


def report_reparse(model_admin, request, report):
    """Tell the editor what a re-parse (of articles' issues, or of issues) did."""
    if report.issues:
        model_admin.message_user(request, report.message, messages.SUCCESS)
    for error in report.errors:
        model_admin.message_user(request, f"重新解析失败：{error}", messages.ERROR)
