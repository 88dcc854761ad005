"""A reader's copy of their data (comments.export), beside erasure on the desk's privacy page:
one JSON file of everything the address wrote. Here, what comments holds (replies, the address's
confirmation); what reader letters and the newsletter add is tested in their apps."""

import json

import pytest
from django.utils import timezone

from comments.models import ReaderEmail, Reply
from testing.desk import ERASE_URL


@pytest.fixture
def writer(make_reply, letter):
    first = make_reply(
        user_email="leaving@example.com", user_name="Leaving Lou", comment="My first words."
    )
    second = make_reply(
        parent=first, user_email="LEAVING@example.com", user_name="Lou", comment="And more."
    )
    make_reply(user_email="someone@example.com", comment="Not Lou's.")
    ReaderEmail.objects.create(email="leaving@example.com", confirmed_at=timezone.now())
    return first, second


def download(desk, email="Leaving@Example.com"):
    response = desk.post(ERASE_URL, {"email": email, "step": "export"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="reader-data.json"'
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_copy_holds_every_reply_of_the_address_and_its_confirmation(
    desk, sees_addresses, writer, letter
):
    first, second = writer
    data = download(desk)
    assert data["address"] == "leaving@example.com"
    assert [(r["id"], r["text"], r["name"]) for r in data["replies"]] == [
        (first.pk, "My first words.", "Leaving Lou"),
        (second.pk, "And more.", "Lou"),
    ]
    assert data["replies"][0]["under"] == letter.title
    assert data["replies"][0]["address"] == f"{letter.get_full_url()}#reply-{first.pk}"
    assert len(data["address_confirmation"]) == 1
    assert "Not Lou's." not in json.dumps(data)


def test_nothing_is_erased_by_a_copy(desk, sees_addresses, writer):
    download(desk)
    assert Reply.objects.filter(user_email__iexact="leaving@example.com").count() == 2


def test_a_moderator_who_may_not_see_addresses_gets_no_copy(desk, writer):
    response = desk.post(ERASE_URL, {"email": "leaving@example.com", "step": "export"})
    # Wagtail's answer to a permission refused: back to the dashboard, with its message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert b"My first words." not in response.content


def test_the_privacy_page_offers_the_copy(desk, sees_addresses):
    page = desk.get(ERASE_URL).content.decode()
    assert 'name="step" value="export"' in page
