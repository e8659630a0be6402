from django.contrib import admin
from django.urls import include, path

from archive import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("archive.urls")),
]

handler404 = "archive.views.page_not_found"
handler500 = "archive.views.server_error"
