"""Names that pass for someone else's or for nothing: a columnist's name spelt with a Cyrillic
letter, the site's name alone, a character drawn blank; the desk's correction form cleans a
name as the public form does; staff with a long account name can still reply."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from comments.models import Reply, ReplyStatus
from testing.replies import posted_reply

RESERVED = "That name belongs to the column or one of its staff."


@pytest.mark.parametrize(
    "name",
    [
        "Av\u0435ry St\u043ene",  # Cyrillic е and о in the columnist's name
        "\u0391very Stone",  # a Greek capital alpha
        "PurseBop",  # the site's and the column's name without "Dear"
        "purse bop",
    ],
)
def test_a_look_alike_of_a_reserved_name_is_refused(client, letter, post_reply, columnist, name):
    response = post_reply(client, letter, name=name, comment="Official advice!")
    assert response.status_code == 400
    assert RESERVED in response.text
    assert "Official advice!" in response.text
    assert Reply.objects.count() == 0


def test_a_staff_name_with_a_cyrillic_letter_is_refused(client, letter, post_reply, db):
    margot = get_user_model().objects.create_user(
        "margot", first_name="Margot", last_name="Ellery", email="margot@staff.example"
    )
    margot.groups.add(Group.objects.get(name="Editors"))
    response = post_reply(client, letter, name="M\u0430rgot Ellery", comment="Signed, Margot.")
    assert response.status_code == 400
    assert RESERVED in response.text


@pytest.mark.parametrize("name", ["Margo", "Bop", "Dear Reader", "Рита"])
def test_ordinary_names_still_pass(client, letter, post_reply, columnist, name):
    """Parts of a title shorter than five letters, and other scripts' own names, are free."""
    assert posted_reply(post_reply(client, letter, name=name)).user_name == name


def test_a_blank_drawn_character_is_no_name_and_no_reply(client, letter, post_reply):
    blank = "\U0001d159"  # MUSICAL SYMBOL NULL NOTEHEAD: a symbol drawn as nothing
    response = post_reply(client, letter, name=blank * 3, comment="A real reply.")
    assert response.status_code == 400
    assert "Please give a name to show with your reply." in response.text
    response = post_reply(client, letter, name="Jo", comment=f"{blank} {blank}\u0301")
    assert response.status_code == 400
    assert "Please write your reply before sending it." in response.text
    assert Reply.objects.count() == 0


@pytest.fixture
def desk_edit(client, moderator, make_reply):
    client.force_login(moderator)
    reply = make_reply(user_name="Plain Pat", comment="A reply.", status=ReplyStatus.PENDING)
    url = reverse("wagtailsnippets_comments_reply:edit", args=[reply.pk])
    return reply, url


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("\u202eevE\u202c \u200bPat", "evE Pat"), ("  Pat   the Reader ", "Pat the Reader")],
)
def test_the_desks_edit_cleans_a_name_as_the_public_form_does(client, desk_edit, typed, stored):
    reply, url = desk_edit
    response = client.post(url, {"user_name": typed, "comment": "A reply."})
    assert response.status_code == 302, response.content[:2000]
    reply.refresh_from_db()
    assert reply.user_name == stored


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("\u200b\u3164", "Please give a name to show with your reply."),
        ("Avery St\u043ene", RESERVED),
    ],
)
def test_the_desks_edit_refuses_what_the_public_form_refuses(
    client, desk_edit, columnist, typed, error
):
    reply, url = desk_edit
    response = client.post(url, {"user_name": typed, "comment": "A reply."})
    assert response.status_code == 200
    assert error in response.text
    reply.refresh_from_db()
    assert reply.user_name == "Plain Pat"


def test_staff_with_a_long_name_can_reply(client, letter, post_reply, editor):
    editor.first_name = "Alexandra-Josephine Montgomery-Fitzwilliam"
    editor.last_name = "of the Handbag Desk"
    editor.save()
    assert len(editor.get_full_name()) > 50
    client.force_login(editor)
    reply = posted_reply(post_reply(client, letter, comment="Thanks for writing in."))
    assert len(reply.user_name) == 50
    assert reply.user_name.startswith("Alexandra-Josephine Montgomery-Fitzwilliam")
    assert reply.user_name.endswith("…")
    assert reply.author_badge == "editor"
