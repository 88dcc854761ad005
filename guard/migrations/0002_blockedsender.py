import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("guard", "0001_counters_and_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BlockedSender',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('email', 'Email address'), ('ip', 'IP address')], max_length=10)),
                ('value', models.CharField(help_text='The email address or IP address, exactly as posts carry it.', max_length=254)),
                ('action', models.CharField(choices=[('hold', 'Always hold for a moderator'), ('refuse', 'Refuse: the reader is told posts from it are not accepted')], default='hold', max_length=10)),
                ('reason', models.CharField(blank=True, help_text='For the other moderators; readers never see it.', max_length=200)),
                ('expires_at', models.DateTimeField(blank=True, help_text='Leave empty to block until someone removes the entry.', null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'blocked address',
                'verbose_name_plural': 'blocked addresses',
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'value'), name='guard_one_block_per_address')],
            },
        ),
    ]
