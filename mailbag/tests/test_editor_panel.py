"""The draft letter made from a reader letter shows that letter in its editor, at the top of
the content tab (advice's "letter" editor slot): pen name, date, text as sent and a link to
it in the inbox; the address only for holders of "Can see readers’ addresses"."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db.models import Q
from django.urls import reverse
from wagtail.models import GroupPagePermission

from mailbag import drafts
from mailbag.tests.test_inbox import make_user
from testing.letters import store_letter

SECRET = "torn.tote@example.com"


@pytest.fixture
def reader_letter(column, topic):
    return store_letter(
        column,
        pen_name="Torn Tote",
        letter="My tote tore at the seam.\n\nShould I <script>alert(1)</script> have it mended?",
        topic=topic,
        email=SECRET,
    )


@pytest.fixture
def draft(reader_letter):
    return drafts.create_draft(reader_letter, make_user("admin", superuser=True))


def panel(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser").select_one(
        ".mailbag-editor-panel"
    )


def test_the_draft_editor_shows_the_readers_letter_with_the_address_to_editors(
    client, draft, reader_letter
):
    client.force_login(make_user("eddie", groups=["Editors"]))  # Editors see addresses
    response, shown = panel(client, draft)
    assert shown is not None
    assert "Reader’s letter" in response.text  # the panel's heading
    text = shown.get_text(" ", strip=True)
    assert "My tote tore at the seam." in text
    assert "Should I <script>alert(1)</script> have it mended?" in text  # shown as text
    assert "<script>alert(1)" not in response.text  # never as markup
    assert "Torn Tote" in text and "Dear PurseBop" in text and "Special orders" in text
    assert reader_letter.submitted_at.strftime("%-d %B %Y") in text
    assert SECRET in text
    link = shown.find("a", string="Open the reader’s letter in the inbox")
    assert link["href"] == reverse(
        "wagtailsnippets_mailbag_readerletter:inspect", args=[reader_letter.pk]
    )
    # At the top of the content tab: before the title field.
    assert response.text.index("mailbag-editor-panel") < response.text.index('name="title"')


def like_editors_but(name, leave_out):
    """A user in a group holding the Editors' page and model permissions except those
    `leave_out` (a Q over permissions) matches."""
    editors = Group.objects.get(name="Editors")
    group = Group.objects.create(name=f"Editors without {name}")
    group.permissions.add(*editors.permissions.exclude(leave_out))
    for permission in GroupPagePermission.objects.filter(group=editors):
        GroupPagePermission.objects.create(
            group=group, page=permission.page, permission=permission.permission
        )
    user = make_user(name)
    user.groups.add(group)
    return user


def test_without_the_address_permission_the_panel_keeps_the_address_out(
    client, draft, reader_letter
):
    client.force_login(like_editors_but("vera", Q(codename="see_reader_addresses")))
    response, shown = panel(client, draft)
    assert shown is not None
    assert "My tote tore at the seam." in shown.get_text()
    assert "Torn Tote" in shown.get_text()
    assert SECRET not in response.text


def test_no_panel_on_a_letter_no_reader_sent_nor_for_those_without_the_inbox(
    client, make_letter, draft
):
    client.force_login(make_user("admin2", superuser=True))
    _, shown = panel(client, make_letter())
    assert shown is None
    # A page editor who may not view reader letters sees the draft without it.
    leave_out = Q(content_type__app_label="mailbag") | Q(codename="see_reader_addresses")
    client.force_login(like_editors_but("paige", leave_out))
    response, shown = panel(client, draft)
    assert shown is None
    assert "Reader’s letter" not in response.text and SECRET not in response.text
