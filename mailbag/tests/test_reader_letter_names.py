"""The reader letter's model is ReaderLetter (it was Submission): its permissions are renamed in
place (migration 0007), so Editors and any group or user who held the old ones keep working the
inbox, and the inbox's old admin addresses answer 301 to the new ones."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mailbag.models import ReaderLetter
from testing.letters import store_letter

RENAME = ("mailbag", "0007_readerletter_permission_codenames")
ACTIONS = ("add", "change", "delete", "view")


def run_rename(direction):
    executor = MigrationExecutor(connection)
    migration = executor.loader.get_migration(*RENAME)
    state = executor.loader.project_state(RENAME)
    operation = migration.operations[0]
    (operation.code if direction == "forwards" else operation.reverse_code)(state.apps, None)


def codenames(holder):
    return set(
        holder.permissions.filter(content_type__app_label="mailbag").values_list(
            "codename", flat=True
        )
    )


@pytest.mark.django_db
def test_after_migrating_no_permission_says_submission_and_editors_keep_the_inbox():
    assert not Permission.objects.filter(
        content_type__app_label="mailbag", codename__contains="submission"
    ).exists()
    content_type = ContentType.objects.get_for_model(ReaderLetter)
    assert (content_type.app_label, content_type.model) == ("mailbag", "readerletter")
    assert {"view_readerletter", "change_readerletter"} <= codenames(
        Group.objects.get(name="Editors")
    )
    eddie = get_user_model().objects.create_user("eddie", "eddie@staff.example", "pw")
    eddie.groups.add(Group.objects.get(name="Editors"))
    assert eddie.has_perms(["mailbag.view_readerletter", "mailbag.change_readerletter"])


@pytest.mark.django_db
def test_holders_of_the_old_permissions_hold_the_new_ones():
    """As a database left them before 0007: the content type already renamed (by 0006), the
    codenames still the old ones, and Django may have made a new one beside an old one."""
    content_type = ContentType.objects.get_for_model(ReaderLetter)
    new = {
        a: Permission.objects.get(content_type=content_type, codename=f"{a}_readerletter")
        for a in ACTIONS
    }
    for action in ("add", "change", "delete"):
        Permission.objects.filter(pk=new[action].pk).update(codename=f"{action}_submission")
    old_view = Permission.objects.create(
        content_type=content_type, codename="view_submission", name="Can view reader letter"
    )
    helpers = Group.objects.create(name="Inbox helpers")
    helpers.permissions.add(old_view, Permission.objects.get(codename="change_submission"))
    user = get_user_model().objects.create_user("ada", "ada@staff.example", "pw")
    user.user_permissions.add(Permission.objects.get(codename="delete_submission"))

    run_rename("forwards")

    assert not Permission.objects.filter(
        content_type__app_label="mailbag", codename__contains="submission"
    ).exists()
    assert codenames(helpers) == {"view_readerletter", "change_readerletter"}
    assert helpers.permissions.get(codename="view_readerletter") == new["view"]
    user = get_user_model().objects.get(pk=user.pk)
    assert user.has_perm("mailbag.delete_readerletter")
    assert not user.has_perm("mailbag.change_readerletter")

    run_rename("backwards")
    assert codenames(helpers) == {"view_submission", "change_submission"}
    assert (
        Permission.objects.filter(
            content_type__app_label="mailbag", codename__endswith="_submission"
        ).count()
        == 4
    )
    run_rename("forwards")
    assert codenames(helpers) == {"view_readerletter", "change_readerletter"}


@pytest.mark.django_db
def test_the_inboxs_old_addresses_answer_301_with_the_rest_of_the_path_and_the_query(
    client, column
):
    letter = store_letter(column, pen_name="Moved Mo")
    client.force_login(get_user_model().objects.create_superuser("sam", "s@staff.example", "pw"))
    old = "/admin/snippets/mailbag/submission/"
    new = "/admin/snippets/mailbag/readerletter/"
    for path, target in [
        ("", ""),
        ("?status=all&q=Mo", "?status=all&q=Mo"),
        (f"inspect/{letter.pk}/", f"inspect/{letter.pk}/"),
        (f"history/{letter.pk}/?p=2", f"history/{letter.pk}/?p=2"),
    ]:
        response = client.get(old + path)
        assert response.status_code == 301, path
        assert response["Location"] == new + target
    page = client.get(old + f"inspect/{letter.pk}/", follow=True)
    assert page.status_code == 200 and "Moved Mo" in page.text


@pytest.mark.django_db
def test_the_old_addresses_lead_nobody_past_the_admins_login(client):
    response = client.get("/admin/snippets/mailbag/submission/inspect/1/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
