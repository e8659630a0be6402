from django.db import migrations

from archive.parsing.document import TOPICS


def create_topics(apps, schema_editor):
    from archive.models import pinyin_slug

    Topic = apps.get_model("archive", "Topic")
    for position, name in enumerate(TOPICS):
        Topic.objects.get_or_create(name=name, defaults={"slug": pinyin_slug(name), "position": position})


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
