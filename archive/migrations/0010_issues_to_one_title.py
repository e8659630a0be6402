"""Every issue (and article) stored so far belongs to the one paper the archive held, the one
the ``NEWSPAPER_NAME`` setting names: that title is created here and the
issues, with their history, are filed under it."""

from django.conf import settings
from django.db import migrations
from django.utils.text import slugify
from pypinyin import lazy_pinyin


def file_under_one_title(apps, schema_editor):
    Issue = apps.get_model("archive", "Issue")
    HistoricalIssue = apps.get_model("archive", "HistoricalIssue")
    Newspaper = apps.get_model("archive", "Newspaper")
    Article = apps.get_model("archive", "Article")
    if not Issue.objects.filter(paper__isnull=True).exists():
        return
    name = settings.NEWSPAPER_NAME
    paper = Newspaper.objects.filter(name=name).first()
    if paper is None:
        slug = slugify("-".join(lazy_pinyin(name, errors="default")))[:60] or "paper"
        paper = Newspaper.objects.create(name=name, slug=slug)
    Issue.objects.filter(paper__isnull=True).update(paper=paper)
    Article.objects.filter(paper__isnull=True).update(paper=paper)
    # A revert to an old version must not take the issue out of its title.
    HistoricalIssue.objects.filter(paper__isnull=True).update(paper=paper)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0009_newspaper"),
    ]

    operations = [
        migrations.RunPython(file_under_one_title, migrations.RunPython.noop),
    ]
