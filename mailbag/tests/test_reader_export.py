"""Reader letters in a reader's copy of their data (the desk's privacy page, comments.export):
each letter the address sent, as sent; for someone who may not view reader letters, a note that
they were not searched, which tells nothing about the address."""

import json

import pytest
from django.contrib.auth import get_user_model

from guard.permissions import SEE_ADDRESSES
from testing.desk import ERASE_URL
from testing.letters import store_letter
from testing.users import ensure_reply_moderators_group, grant

pytestmark = pytest.mark.django_db


def copy_for(client, user, email):
    client.force_login(user)
    response = client.post(ERASE_URL, {"email": email, "step": "export"})
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def moderator():
    user = get_user_model().objects.create_user("mod", "mod@staff.example", "pw")
    user.groups.add(ensure_reply_moderators_group())
    return grant(user, SEE_ADDRESSES)


def test_the_copy_holds_the_addresses_reader_letters_as_sent(client, moderator, column):
    store_letter(column, pen_name="Sent Once", letter="Should I sell it?", email="Lou@Example.com")
    store_letter(column, pen_name="Someone Else", email="other@example.com")
    grant(moderator, "mailbag.view_readerletter")
    data = copy_for(client, moderator, "lou@example.com")
    [letter] = data["reader_letters"]
    assert (letter["pen_name"], letter["letter"], letter["column"]) == (
        "Sent Once",
        "Should I sell it?",
        column.title,
    )
    assert letter["asked_to_be_told_when_answered"] is True
    assert "Someone Else" not in json.dumps(data)


def test_without_the_inbox_permission_the_letters_are_not_searched(client, moderator, column):
    store_letter(column, pen_name="Sent Once", email="lou@example.com")
    data = copy_for(client, moderator, "lou@example.com")
    assert data["reader_letters"] == {"not_searched": "you may not view reader letters"}
    assert "Sent Once" not in json.dumps(data)
