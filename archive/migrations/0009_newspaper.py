import archive.models
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0008_pending_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Newspaper',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, unique=True, verbose_name='报名')),
                ('short_name', models.CharField(blank=True, max_length=30, verbose_name='简称')),
                ('slug', models.SlugField(help_text='网址中的名称，如 hu-he-hao-te-ri-bao', max_length=60, unique=True)),
                ('place', models.CharField(blank=True, max_length=60, verbose_name='出版地')),
                ('language', models.CharField(default='zh-Hans', help_text='BCP 47 语言标记', max_length=20, verbose_name='语言')),
                ('publisher', models.CharField(blank=True, max_length=120, verbose_name='主办单位')),
                ('first_issue', models.DateField(blank=True, null=True, verbose_name='创刊日期')),
                ('last_issue', models.DateField(blank=True, help_text='仍在出版则留空', null=True, verbose_name='停刊日期')),
                ('frequency', models.CharField(blank=True, choices=[('daily', '日报'), ('weekdays', '周一至周五'), ('semiweekly', '每周两期'), ('weekly', '周报'), ('irregular', '不定期')], max_length=20, verbose_name='刊期')),
                ('description', models.TextField(blank=True, verbose_name='简介')),
                ('identifier', models.CharField(blank=True, help_text='CN15-0003 或 ISSN 1002-8110', max_length=20, validators=[archive.models.validate_identifier], verbose_name='刊号')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': '报纸',
                'verbose_name_plural': '报纸',
                'ordering': ['name'],
            },
        ),
        migrations.AlterModelOptions(
            name='issue',
            options={'ordering': ['-publication_date', 'paper_id'], 'verbose_name': '期次', 'verbose_name_plural': '期次'},
        ),
        migrations.AlterField(
            model_name='historicalissue',
            name='publication_date',
            field=models.DateField(verbose_name='出版日期'),
        ),
        migrations.AlterField(
            model_name='issue',
            name='publication_date',
            field=models.DateField(verbose_name='出版日期'),
        ),
        migrations.CreateModel(
            name='HistoricalNewspaper',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=60, verbose_name='报名')),
                ('short_name', models.CharField(blank=True, max_length=30, verbose_name='简称')),
                ('slug', models.SlugField(help_text='网址中的名称，如 hu-he-hao-te-ri-bao', max_length=60)),
                ('place', models.CharField(blank=True, max_length=60, verbose_name='出版地')),
                ('language', models.CharField(default='zh-Hans', help_text='BCP 47 语言标记', max_length=20, verbose_name='语言')),
                ('publisher', models.CharField(blank=True, max_length=120, verbose_name='主办单位')),
                ('first_issue', models.DateField(blank=True, null=True, verbose_name='创刊日期')),
                ('last_issue', models.DateField(blank=True, help_text='仍在出版则留空', null=True, verbose_name='停刊日期')),
                ('frequency', models.CharField(blank=True, choices=[('daily', '日报'), ('weekdays', '周一至周五'), ('semiweekly', '每周两期'), ('weekly', '周报'), ('irregular', '不定期')], max_length=20, verbose_name='刊期')),
                ('description', models.TextField(blank=True, verbose_name='简介')),
                ('identifier', models.CharField(blank=True, help_text='CN15-0003 或 ISSN 1002-8110', max_length=20, validators=[archive.models.validate_identifier], verbose_name='刊号')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical 报纸',
                'verbose_name_plural': 'historical 报纸',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='article',
            name='paper',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='articles', to='archive.newspaper', verbose_name='报纸'),
        ),
        migrations.AddField(
            model_name='historicalissue',
            name='paper',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='archive.newspaper', verbose_name='报纸'),
        ),
        migrations.AddField(
            model_name='issue',
            name='paper',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='issues', to='archive.newspaper', verbose_name='报纸'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['paper', '-issue_date', 'position', 'id'], name='article_paper_newest_first'),
        ),
        migrations.AddIndex(
            model_name='issue',
            index=models.Index(fields=['publication_date'], name='issue_date'),
        ),
        migrations.AddConstraint(
            model_name='issue',
            constraint=models.UniqueConstraint(fields=('paper', 'publication_date'), name='issue_unique_paper_date'),
        ),
    ]
