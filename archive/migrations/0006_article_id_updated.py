from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0005_article_issue_date"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["id", "updated_at"], name="article_id_updated"),
        ),
        migrations.RunSQL("ANALYZE archive_article", migrations.RunSQL.noop),
    ]
