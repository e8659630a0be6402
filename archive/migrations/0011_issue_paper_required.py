import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0010_issues_to_one_title"),
    ]

    operations = [
        migrations.AlterField(
            model_name="issue",
            name="paper",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="issues",
                to="archive.newspaper",
                verbose_name="报纸",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="paper",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="archive.newspaper",
                verbose_name="报纸",
            ),
        ),
        migrations.RunSQL("ANALYZE archive_issue", migrations.RunSQL.noop),
        migrations.RunSQL("ANALYZE archive_article", migrations.RunSQL.noop),
    ]
