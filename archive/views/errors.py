"""The pages shown when there is no such page (404) or the server failed (500)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database: whatever failed may fail again.
    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render({"newspaper_name": settings.NEWSPAPER_NAME, "home_url": reverse("archive:home")})
    )
