"""Readers' addresses by role: one permission, guard's "Can see readers’ addresses", replaced
mailbag's "Can see writers' addresses" and kept its holders; the inbox's bulk actions (Wagtail's
bulk delete included) are for the inbox's users only; the desk's erasure touches reader
letters only for users who may delete them, and says the same whether an address wrote in."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from guard.permissions import SEE_ADDRESSES, can_see_addresses
from mailbag import lifecycle
from mailbag.models import ReaderLetter
from testing.letters import store_letter
from testing.users import ensure_reply_moderators_group, grant

MOVE = "mailbag.migrations.0004_writer_addresses_permission_to_guard"


@pytest.mark.django_db
def test_the_editors_group_holds_the_one_permission_after_the_migrations():
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(
        content_type__app_label="guard", codename="see_reader_addresses"
    ).exists()
    assert not Permission.objects.filter(codename="see_writer_email").exists()


@pytest.mark.django_db
def test_the_move_keeps_every_holder_users_and_groups():
    """As on a site migrated with holders of the old permission: a group, a user directly."""
    old = Permission.objects.create(
        content_type=ContentType.objects.get_for_model(ReaderLetter),
        codename="see_writer_email",
        name="Can see writers’ addresses",
    )
    helpers = Group.objects.create(name="Inbox helpers")
    helpers.permissions.add(old)
    User = get_user_model()
    direct = User.objects.create_user("direct", "direct@staff.example")
    direct.user_permissions.add(old)
    member = User.objects.create_user("member", "member@staff.example")
    member.groups.add(helpers)
    nobody = User.objects.create_user("nobody", "nobody@staff.example")

    importlib.import_module(MOVE).forwards(apps, None)

    assert not Permission.objects.filter(codename="see_writer_email").exists()
    for user, sees in [(direct, True), (member, True), (nobody, False)]:
        assert can_see_addresses(User.objects.get(pk=user.pk)) is sees, user


@pytest.fixture
def reply_moderator(db):
    user = get_user_model().objects.create_user("mod", "mod@staff.example", "pw")
    user.groups.add(ensure_reply_moderators_group())
    return user


def test_the_inboxs_bulk_delete_lists_nothing_to_other_admin_users(client, column, reply_moderator):
    letter = store_letter(column, pen_name="Secret Sal")
    client.force_login(reply_moderator)
    response = client.get(f"/admin/bulk/mailbag/readerletter/delete/?id={letter.pk}")
    assert response.status_code in (302, 403)
    assert b"Secret Sal" not in response.content
    assert ReaderLetter.objects.filter(pk=letter.pk).exists()


def test_the_desks_erasure_leaves_letters_to_those_who_may_delete_them(
    client, column, reply_moderator
):
    """A reply moderator who may see addresses (the erasure form needs it) but has no inbox
    permission: the letter stays, and the desk says the same for an address that never
    wrote in, so the erasure cannot be asked whether an address wrote to the column."""
    grant(reply_moderator, SEE_ADDRESSES)
    letter = store_letter(column, email="gone@example.com")
    client.force_login(reply_moderator)
    said = []
    for address in ("gone@example.com", "never@example.com"):
        response = client.post(
            reverse("wagtailsnippets_comments_reply:erase"),
            {"email": address, "step": "erase", "confirm": "on"},
            follow=True,
        )
        assert response.status_code == 200
        said.append(response.text.count(lifecycle.LETTERS_NOT_SEARCHED.split(":")[0]))
    assert said == [1, 1]
    assert ReaderLetter.objects.get(pk=letter.pk).email == "gone@example.com"


def test_a_user_who_may_delete_letters_erases_them_from_the_desk(column, reply_moderator):
    grant(reply_moderator, SEE_ADDRESSES, "mailbag.delete_readerletter")
    store_letter(column, email="gone@example.com")
    user = get_user_model().objects.get(pk=reply_moderator.pk)
    assert lifecycle.erase_reader("gone@example.com", user) == "1 reader letter deleted"
    assert not ReaderLetter.objects.exists()
