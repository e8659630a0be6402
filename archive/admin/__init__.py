"""The editors' admin: correct what the parser got wrong.

One module per model an editor works on (articles, reporters, topics and
sections, titles, issues), with the forms, filters and mixins they share in
modules of their own. Domain logic (merging, re-parsing, re-indexing,
history grouping) lives in ``archive.editing``; this package only wires it
to Django's admin. Django's admin autodiscovery imports this package; the
imports below register every model's admin.
"""

from django.conf import settings
from django.contrib import admin

from archive.admin import articles, issues, papers, reporters, topics  # noqa: F401  (registers the admins)

admin.site.site_header = f"{settings.NEWSPAPER_NAME} 数字报库 · 编辑后台"
admin.site.site_title = f"{settings.NEWSPAPER_NAME} 编辑后台"
admin.site.index_title = "资料管理"
# The page's whole width goes to the form and the printed text beside it:
# at 1366 px the navigation column left a headline field too narrow to show
# a headline (the breadcrumbs and the index page lead everywhere it did).
admin.site.enable_nav_sidebar = False
