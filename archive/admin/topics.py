"""The topics' and sections' admin: names, order and descriptions, whose
changes re-index the articles filed under them."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q

from archive import editing
from archive.admin.common import CountAndLinkMixin, DeletionQueuesArticles, SaveQueuesArticles
from archive.admin.history import HistoryAdmin
from archive.models import Article, Section, Topic, unique_slug


@admin.register(Topic)
class TopicAdmin(DeletionQueuesArticles, SaveQueuesArticles, HistoryAdmin):
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
        super().save_model(request, obj, form, change)

    def saved(self, obj, form, change):
        if "name" in form.changed_data:
            editing.topic_changed(obj)
        else:
            # Order and description show on public pages only.
            editing.refresh_public_copies()

    def touched_articles(self, queryset):
        return Article.objects.filter(Q(topics__in=queryset) | Q(primary_topic__in=queryset))


@admin.register(Section)
class SectionAdmin(SaveQueuesArticles, CountAndLinkMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    fields = ["name", "slug"]
    readonly_fields = ["slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    def saved(self, obj, form, change):
        editing.section_changed(obj)
