"""Pages for reading the archive: by date, by reporter, by topic."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from archive.models import Article, Issue, Reporter, Topic

PAGE_SIZE = 30


def _page(request, queryset, per_page=PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def home(request):
    issue = Issue.objects.newest()
    articles = issue.articles.for_listing().order_by("position") if issue else Article.objects.none()
    return render(
        request,
        "archive/home.html",
        {
            "issue": issue,
            "articles": articles,
            "issue_count": Issue.objects.count(),
            "article_count": Article.objects.count(),
            "reporter_count": Reporter.objects.count(),
            "topics": Topic.objects.all(),
        },
    )


def issue_detail(request, day):
    issue = get_object_or_404(Issue, publication_date=day)
    return render(
        request,
        "archive/issue_detail.html",
        {
            "issue": issue,
            "articles": issue.articles.for_listing().order_by("position"),
            "previous_issue": Issue.objects.filter(publication_date__lt=day).order_by("-publication_date").first(),
            "next_issue": Issue.objects.filter(publication_date__gt=day).order_by("publication_date").first(),
        },
    )


def archive_year(request, year):
    issues = Issue.objects.in_year(year).order_by("publication_date")
    if not issues.exists():
        raise Http404("该年份没有报纸")
    return render(request, "archive/archive_year.html", {"year": year, "issues": issues})


def archive_month(request, year, month):
    if not 1 <= month <= 12:
        raise Http404("月份无效")
    issues = Issue.objects.in_month(year, month).order_by("publication_date")
    if not issues.exists():
        raise Http404("该月没有报纸")
    return render(request, "archive/archive_month.html", {"year": year, "month": month, "issues": issues})


def article_detail(request, pk):
    article = get_object_or_404(Article.objects.for_listing(), pk=pk)
    return render(request, "archive/article_detail.html", {"article": article})


def reporter_list(request):
    reporters = Reporter.objects.with_stats().order_by("slug")
    return render(request, "archive/reporter_list.html", {"page": _page(request, reporters, 100)})


def reporter_detail(request, slug):
    reporter = get_object_or_404(Reporter, slug=slug)
    articles = Article.objects.by_reporter(reporter).for_listing().newest_first()
    return render(request, "archive/reporter_detail.html", {"reporter": reporter, "page": _page(request, articles)})


def topic_list(request):
    return render(request, "archive/topic_list.html", {"topics": Topic.objects.all()})


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    articles = Article.objects.with_topic(topic).for_listing().newest_first()
    return render(request, "archive/topic_detail.html", {"topic": topic, "page": _page(request, articles)})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
