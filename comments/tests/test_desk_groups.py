"""Who moderates replies: the "Reply moderators" group (made by a migration), not Wagtail's
page Moderators, who publish, move and delete pages."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from comments.desk.permissions import can_moderate
from testing.desk import DENIED, LIST_URL, messages_of
from testing.replies import posted_reply

DESK = {
    "django_comments.can_moderate",
    "comments.view_reply",
    "guard.view_blockedsender",
    "comments.view_rejectionreason",
    "comments.change_replypolicy",
}


def permissions(group):
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


@pytest.fixture
def page_moderator(db):
    """A member of Wagtail's Moderators group only."""
    user = get_user_model().objects.create_user("pages", email="pages@example.com")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_reply_moderators_have_the_desk_and_nothing_on_pages(db):
    group = Group.objects.get(name="Reply moderators")
    assert permissions(group) == DESK | {"wagtailadmin.access_admin"}
    assert not GroupPagePermission.objects.filter(group=group).exists()
    assert not GroupCollectionPermission.objects.filter(group=group).exists()


def test_wagtails_moderators_keep_pages_but_not_the_desk(db):
    group = Group.objects.get(name="Moderators")
    assert not DESK & permissions(group)
    assert GroupPagePermission.objects.filter(group=group, permission__codename="publish_page")


def test_a_page_moderator_is_turned_away_from_the_desk(client, page_moderator, held):
    assert not can_moderate(page_moderator)
    client.force_login(page_moderator)
    response = client.get(LIST_URL)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert messages_of(response) == [DENIED]


def test_held_replies_are_emailed_to_reply_moderators_not_page_moderators(
    client, letter, post_reply, moderator, page_moderator, mailoutbox
):
    posted_reply(post_reply(client, letter))
    assert [message.to for message in mailoutbox] == [[moderator.email]]


def test_someone_in_both_groups_does_both(client, moderator, held):
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    assert client.get(LIST_URL).status_code == 200
