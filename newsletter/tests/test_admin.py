"""The "Newsletter" admin: subscribers by state with counts, search and a CSV export that shows
addresses only to holders of "Can see readers’ addresses"; issues with their counts; "is this
address suppressed?" for a typed address, and counts by reason."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model

from newsletter import suppression
from newsletter.models import Delivery, Issue, Subscriber
from testing.users import grant

LIST = "/admin/snippets/newsletter/subscriber/"


@pytest.fixture
def subscribers(db):
    Subscriber.objects.create(address="=cmd@example.com", key="=cmd@example.com", state="active")
    Subscriber.objects.create(address="wait@example.com", key="wait@example.com")
    Subscriber.objects.create(
        address="gone@example.com", key="gone@example.com", state="unsubscribed"
    )


def staff(*perms):
    user = get_user_model().objects.create_user(f"u{len(perms)}", password="x")
    return grant(
        user,
        "wagtailadmin.access_admin",
        "newsletter.view_subscriber",
        "newsletter.view_issue",
        *perms,
    )


def test_addresses_are_hidden_without_the_permission(client, subscribers):
    client.force_login(staff())
    response = client.get(LIST + "?state=all")
    assert response.status_code == 200
    body = response.content.decode()
    assert "wait@example.com" not in body and "Waiting for confirmation" in body
    export = client.get(LIST + "?state=all&export=csv")
    text = b"".join(export).decode()
    assert "@example.com" not in text
    # A search for an address finds nothing for them (no search at all).
    assert "wait@example.com" not in client.get(LIST + "?q=wait@example.com").content.decode()


def test_addresses_shown_searched_and_exported_with_the_permission(client, subscribers):
    client.force_login(staff("guard.see_reader_addresses"))
    response = client.get(LIST + "?state=all")
    body = response.content.decode()
    assert "wait@example.com" in body
    for label, count in (("Active", 1), ("Waiting for confirmation", 1), ("All", 3)):
        assert label in body and f'desk-queues__count">{count}<' in body
    found = client.get(LIST + "?state=all&q=WAIT@example.com").content.decode()
    assert "wait@example.com" in found and "gone@example.com" not in found
    rows = list(
        csv.reader(io.StringIO(b"".join(client.get(LIST + "?state=all&export=csv")).decode()))
    )
    emails = [dict(zip(rows[0], row, strict=True))["Email"] for row in rows[1:]]
    assert "'=cmd@example.com" in emails  # no formula


def test_issues_show_their_counts(client, column, make_letter):
    letter = make_letter()
    issue = Issue.objects.create(letter=letter, column=column, title="An issue")
    Issue.objects.create(
        kind=Issue.Kind.WEEKLY, column=column, week=datetime.date(2026, 11, 30), title="A week"
    )
    for n, state in enumerate(["sent", "sent", "failed", "suppressed"]):
        s = Subscriber.objects.create(address=f"{n}@e.com", key=f"{n}@e.com", state="active")
        Delivery.objects.create(issue=issue, subscriber=s, state=state)
    client.force_login(staff())
    response = client.get("/admin/snippets/newsletter/issue/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "An issue" in body and "Unknown" in body and "Suppressed" in body
    assert "A week" in body and "A weekly round-up" in body and "An answer" in body


def test_is_this_address_suppressed(client, db):
    suppression.suppress("bounced@example.com", "bounced")
    client.force_login(staff())
    response = client.get("/admin/newsletter/suppression/?address=Bounced%2Bx@example.com")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Suppressed: Bounced" in body and "Bounced: 1" in body
    response = client.get("/admin/newsletter/suppression/?address=other@example.com")
    assert "Not suppressed." in response.content.decode()
    nobody = get_user_model().objects.create_user("nobody", password="x")
    grant(nobody, "wagtailadmin.access_admin")
    client.force_login(nobody)
    assert client.get("/admin/newsletter/suppression/").status_code in (302, 403)


def test_editors_see_the_newsletter_menu(client, subscribers):
    from django.contrib.auth.models import Group

    editor = get_user_model().objects.create_user("eddie", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(LIST).status_code == 200
    assert client.get("/admin/snippets/newsletter/issue/").status_code == 200
    assert client.get("/admin/newsletter/suppression/").status_code == 200


def test_nobody_adds_a_subscriber_or_an_issue_by_hand(client, django_user_model):
    """A subscriber comes only through double opt-in, an issue only from publishing."""
    client.force_login(django_user_model.objects.create_superuser("root", "r@x.example", "pw"))
    for model in ("subscriber", "issue"):
        listing = client.get(f"/admin/snippets/newsletter/{model}/").content.decode()
        assert f"/admin/snippets/newsletter/{model}/add/" not in listing
        response = client.get(f"/admin/snippets/newsletter/{model}/add/")
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not Subscriber.objects.exists() and not Issue.objects.exists()
