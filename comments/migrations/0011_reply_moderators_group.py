"""Reply moderation gets a group of its own, "Reply moderators", and Wagtail's Moderators
group loses the desk.

Wagtail's Moderators may publish, unpublish, move and delete pages and approve workflows;
giving them the desk too made one group hold two powers. Reply moderators get the admin, the
desk (django_comments.can_moderate), the desk's entries in Site history (the "view"
permissions 0005 gave Moderators) and the reply policy, and nothing on pages. Members of
Moderators are not copied over: an administrator adds the people who moderate replies.
"""

from django.db import migrations

from comments.migrations import _moderators

ADMIN_ACCESS = [("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")]
DESK = [
    ("django_comments", "comment", "can_moderate", "Can moderate comments"),
    ("comments", "reply", "view_reply", "Can view reader reply"),
    ("guard", "blockedsender", "view_blockedsender", "Can view blocked address"),
    ("comments", "rejectionreason", "view_rejectionreason", "Can view rejection reason"),
    ("comments", "replypolicy", "change_replypolicy", "Can change reply policy"),
]


def separate(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=_moderators.REPLY_MODERATORS)
    _moderators.grant(apps, ADMIN_ACCESS + DESK, group=_moderators.REPLY_MODERATORS)
    _moderators.revoke(apps, DESK, group=_moderators.MODERATORS)


def merge_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    _moderators.grant(apps, DESK, group=_moderators.MODERATORS)
    Group.objects.filter(name=_moderators.REPLY_MODERATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0010_policy_numbers"),
        ("guard", "0002_blockedsender"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
        # After Wagtail's migrations that give every admin group "choose" on documents and
        # images: on a fresh database they would otherwise run later and give it to ours.
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(separate, merge_back)]
