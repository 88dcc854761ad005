"""Letters under a column with "Answer review" are published by the review only: Wagtail's
page moderators (and superusers) cannot publish them directly from any entry point, yet
may still unpublish them. Each entry point is tried on a column without the workflow too,
where it publishes: the refusal comes from the review, not from a broken request."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from advice.models import LetterPage
from advice.tests.test_editor_experience import letter_form

NEW_TITLE = "Can I change the colour of a special order?"
REVIEWED = pytest.mark.parametrize("reviewed", [True, False], ids=["reviewed", "unreviewed"])


@pytest.fixture
def moderator(db):
    user = get_user_model().objects.create_user("pagemod", email="pagemod@example.com")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def under(request, column):
    """The column, with "Answer review" assigned when the test is for a reviewed one."""
    if request.getfixturevalue("reviewed"):
        request.getfixturevalue("workflow")
    return column


def live_title(letter):
    letter = LetterPage.objects.get(pk=letter.pk)
    return letter.title if letter.live else None


def edit_form(letter, topic, columnist):
    return {
        **letter_form(topic, columnist, title=NEW_TITLE, slug=letter.slug),
        "action-publish": "1",
    }


@REVIEWED
def test_publishing_from_the_editor(
    moderator_client, under, make_letter, topic, columnist, reviewed
):
    letter = make_letter("Should I buy it twice?")
    moderator_client.post(f"/admin/pages/{letter.pk}/edit/", edit_form(letter, topic, columnist))
    assert live_title(letter) == ("Should I buy it twice?" if reviewed else NEW_TITLE)
    assert LetterPage.objects.get(pk=letter.pk).get_latest_revision().object_str == NEW_TITLE


@REVIEWED
def test_reverting_to_a_revision_and_publishing(
    moderator_client, under, make_letter, topic, columnist, reviewed
):
    letter = make_letter("Should I buy it twice?")
    first = letter.live_revision
    url = reverse("wagtailadmin_pages:revisions_revert", args=(letter.pk, first.pk))
    moderator_client.post(url, edit_form(letter, topic, columnist))
    assert live_title(letter) == ("Should I buy it twice?" if reviewed else NEW_TITLE)


@REVIEWED
def test_bulk_publishing(moderator_client, under, make_letter, reviewed):
    letter = make_letter("Should I buy it twice?")
    draft = letter.get_latest_revision_as_object()
    draft.title = NEW_TITLE
    draft.save_revision()
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    moderator_client.post(f"{url}?id={letter.pk}", {"include_descendants": ""})
    assert live_title(letter) == ("Should I buy it twice?" if reviewed else NEW_TITLE)


@REVIEWED
def test_creating_a_letter_and_publishing_it(moderator_client, under, topic, columnist, reviewed):
    add_url = reverse("wagtailadmin_pages:add", args=("advice", "letterpage", under.pk))
    moderator_client.post(add_url, {**letter_form(topic, columnist), "action-publish": "1"})
    letter = LetterPage.objects.get()
    assert letter.live is not reviewed


@REVIEWED
def test_copying_a_letter_with_its_copy_published(moderator_client, under, make_letter, reviewed):
    letter = make_letter("Should I buy it twice?")
    moderator_client.post(
        reverse("wagtailadmin_pages:copy", args=(letter.pk,)),
        {
            "new_title": NEW_TITLE,
            "new_slug": "buy-it-twice-copy",
            "new_parent_page": under.pk,
            "publish_copies": "on",
        },
    )
    # Under review the form refuses ("You do not have permission to publish pages at …").
    live_copies = LetterPage.objects.filter(slug="buy-it-twice-copy", live=True)
    assert live_copies.exists() is not reviewed


def test_a_superuser_cannot_publish_a_reviewed_letter_directly_either(
    admin_client, workflow, make_letter, topic, columnist
):
    letter = make_letter("Should I buy it twice?")
    html = admin_client.get(f"/admin/pages/{letter.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html  # "Submit to Answer review" instead
    admin_client.post(f"/admin/pages/{letter.pk}/edit/", edit_form(letter, topic, columnist))
    assert live_title(letter) == "Should I buy it twice?"


def test_page_moderators_still_unpublish_a_reviewed_letter(
    moderator_client, moderator, workflow, make_letter
):
    letter = make_letter("Should I buy it twice?")
    permissions = letter.permissions_for_user(moderator)
    assert (permissions.can_publish(), permissions.can_unpublish()) == (False, True)
    # Cancelling a scheduled publication and privacy publish nothing: still theirs.
    assert permissions.can_unschedule() and permissions.can_set_view_restrictions()
    moderator_client.post(reverse("wagtailadmin_pages:unpublish", args=(letter.pk,)))
    assert live_title(letter) is None
