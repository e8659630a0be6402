from django.core.paginator import Paginator
from django.shortcuts import render
from haystack.query import SearchQuerySet

from archive.models import Article


def search(request):
    query = request.GET.get("q", "").strip()
    page = None
    if query:
        results = SearchQuerySet().models(Article).auto_query(query)
        page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "search/search.html", {"query": query, "page": page})
