from django.contrib import admin
from django.urls import include, path

from archive import health
from archive.views import site_files

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", site_files.robots_txt, name="robots_txt"),
    path("favicon.ico", site_files.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("", include("archive.urls")),
]

handler404 = "archive.views.errors.page_not_found"
handler500 = "archive.views.errors.server_error"
