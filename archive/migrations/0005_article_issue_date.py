from django.db import migrations, models

# Copy each article's issue date into the article; one statement, the same
# on SQLite and PostgreSQL.
FILL = """
UPDATE archive_article
SET issue_date = (SELECT publication_date FROM archive_issue WHERE archive_issue.id = archive_article.issue_id)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0004_byline_verbose_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="issue_date",
            field=models.DateField(editable=False, null=True, verbose_name="出版日期"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="article",
            name="issue_date",
            field=models.DateField(editable=False, verbose_name="出版日期"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["-issue_date", "position", "id"], name="article_newest_first"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["id", "issue_date", "position"], name="article_id_date"),
        ),
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(fields=["reporter", "article", "role"], name="byline_reporter_article"),
        ),
        # A topic's article ids from the index alone (the automatic
        # many-to-many table has no Meta to declare it in).
        migrations.RunSQL(
            "CREATE INDEX archive_article_topics_topic_article ON archive_article_topics (topic_id, article_id)",
            "DROP INDEX archive_article_topics_topic_article",
        ),
        # Fresh planner statistics for the rebuilt table and the new indexes
        # (SQLite has none for them otherwise and may sort instead of scanning
        # the date index).
        migrations.RunSQL("ANALYZE archive_article", migrations.RunSQL.noop),
        migrations.RunSQL("ANALYZE archive_byline", migrations.RunSQL.noop),
        migrations.RunSQL("ANALYZE archive_article_topics", migrations.RunSQL.noop),
    ]
