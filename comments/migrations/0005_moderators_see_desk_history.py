"""Let Wagtail's Moderators group read the desk's entries in Reports → Site history.

Wagtail shows a log entry there only to users holding some Django permission on its model;
the desk itself asks for django_comments.can_moderate alone (comments.desk.permissions), so
these "view" permissions open nothing else.
"""

from django.db import migrations

from comments.migrations import _moderators

PERMISSIONS = [
    ("comments", model, f"view_{model}", f"Can view {verbose_name}")
    for model, verbose_name in [
        ("reply", "reader reply"),
        ("blockedsender", "blocked address"),
        ("rejectionreason", "rejection reason"),
    ]
]


def grant(apps, schema_editor):
    _moderators.grant(apps, PERMISSIONS)


def revoke(apps, schema_editor):
    _moderators.revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_desk")]

    operations = [migrations.RunPython(grant, revoke)]
