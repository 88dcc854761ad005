"""Give Wagtail's Moderators group django_comments' can_moderate permission: the moderation
desk and the held-reply emails are for its members."""

from django.db import migrations

from comments.migrations import _moderators

PERMISSIONS = [("django_comments", "comment", "can_moderate", "Can moderate comments")]


def grant(apps, schema_editor):
    _moderators.grant(apps, PERMISSIONS)


def revoke(apps, schema_editor):
    _moderators.revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_replies"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
