"""'Readers weigh in' on the desk: "Pick for Readers weigh in" and "Unpick" on a reply's page,
in a listing's row and as bulk actions, the "Editors' picks" queue, the audit log, and nobody
without the moderation permission picking anything."""

import pytest

from comments import lifecycle
from comments.models import Reply
from testing.desk import (
    DENIED,
    LIST_URL,
    bulk_url,
    inspect_url,
    listed,
    listing,
    logs,
    messages_of,
    moderate_url,
    soup,
)

pytestmark = pytest.mark.django_db


def fresh(reply):
    return Reply.objects.get(pk=reply.pk)


@pytest.fixture
def approved(make_reply):
    return make_reply(comment="Keep the receipt and the dust bag.")


def test_pick_and_unpick_from_a_replys_page(desk, approved, moderator):
    page = soup(desk.get(inspect_url(approved)))
    [button] = page.select("form.desk-pick button[name=action]")
    assert (button["value"], button.get_text()) == ("pick", "Pick for Readers weigh in")

    response = desk.post(moderate_url(approved), {"action": "pick"})
    assert (response.status_code, response["Location"]) == (302, inspect_url(approved))
    assert messages_of(response) == [f"Reply #{approved.pk} picked for “Readers weigh in”."]
    reply = fresh(approved)
    assert reply.picked_by == moderator and reply.picked_at is not None
    [entry] = logs(reply)
    assert (entry.action, entry.user) == ("comments.pick", moderator)

    page = soup(desk.get(inspect_url(approved)))
    assert "Editors’ pick" in page.select_one("#reply-heading").get_text()
    [button] = page.select("form.desk-pick button[name=action]")
    assert (button["value"], button.get_text()) == ("unpick", "Unpick")
    history = desk.get(f"/admin/snippets/comments/reply/history/{approved.pk}/")
    assert "Picked for “Readers weigh in”" in history.text

    response = desk.post(moderate_url(approved), {"action": "unpick", "next": LIST_URL})
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert messages_of(response) == [f"Reply #{approved.pk} taken out of “Readers weigh in”."]
    assert fresh(approved).picked_at is None
    assert [entry.action for entry in logs(approved)] == ["comments.pick", "comments.unpick"]


def test_a_held_reply_is_not_offered_and_cannot_be_picked(desk, held):
    page = soup(desk.get(inspect_url(held)))
    assert page.select("form.desk-pick") == []
    response = desk.post(moderate_url(held), {"action": "pick"})
    assert response.status_code == 302
    assert messages_of(response) == [
        f"Reply #{held.pk} is awaiting moderation: only an approved reply can be picked."
    ]
    assert fresh(held).picked_at is None and logs(held) == []


def test_the_picks_queue_and_the_row_actions(desk, approved, make_reply, moderator):
    other = make_reply(comment="Another view.")
    lifecycle.pick(fresh(approved), moderator)
    response = desk.get(listing(queue="picked"))
    assert listed(response) == [approved.pk]
    page = soup(response)
    tab = page.find("a", href=lambda href: href and "queue=picked" in href)
    assert "Editors’ picks" in tab.get_text() and "1" in tab.get_text()
    assert "Editors’ pick" in page.select_one("td.desk-status").get_text()
    assert page.select(f"button[aria-label='Unpick reply #{approved.pk}']")

    page = soup(desk.get(listing(queue="approved")))
    assert page.select(f"button[aria-label='Pick reply #{other.pk} for Readers weigh in']")
    assert not page.select(f"button[aria-label='Pick reply #{approved.pk} for Readers weigh in']")
    # A row's Pick comes back to the listing it was pressed in.
    next_url = listing(queue="approved")
    response = desk.post(moderate_url(other), {"action": "pick", "next": next_url})
    assert (response.status_code, response["Location"]) == (302, next_url)
    assert listed(desk.get(listing(queue="picked"))) == [other.pk, approved.pk]
    # Sent back to the queue, a pick leaves the picks queue.
    lifecycle.moderate(fresh(other), "requeue", moderator)
    assert listed(desk.get(listing(queue="picked"))) == [approved.pk]


def test_bulk_pick_and_unpick(desk, make_reply, held, moderator):
    first, second = make_reply(comment="First."), make_reply(comment="Second.")
    url = bulk_url("pick", first, second, held, next=LIST_URL)
    page = soup(desk.get(url))
    assert "Pick for Readers weigh in 3 replies?" in page.get_text()
    assert fresh(first).picked_at is None  # the confirmation page changes nothing

    response = desk.post(url)
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert messages_of(response) == [
        "2 replies picked for “Readers weigh in”. 1 left unchanged (already picked, or not approved)."
    ]
    assert [fresh(r).picked_by for r in (first, second, held)] == [moderator, moderator, None]

    response = desk.post(bulk_url("unpick", first, held, next=LIST_URL))
    assert messages_of(response) == [
        "1 reply taken out of “Readers weigh in”. 1 left unchanged (not picked)."
    ]
    assert [fresh(r).is_picked for r in (first, second)] == [False, True]
    assert [entry.action for entry in logs(first)] == ["comments.pick", "comments.unpick"]


def test_without_the_moderation_permission_nobody_picks(client, editor, approved, moderator):
    client.force_login(editor)
    for url, data in [
        (moderate_url(approved), {"action": "pick"}),
        (bulk_url("pick", approved, next=LIST_URL), {}),
    ]:
        response = client.post(url, data)
        # Wagtail answers PermissionDenied in the admin with a redirect and its message.
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url
        assert messages_of(response) == [DENIED], url
    assert fresh(approved).picked_at is None and logs(approved) == []
    # Nor unpicks: a moderator's pick stays.
    lifecycle.pick(fresh(approved), moderator)
    client.post(moderate_url(approved), {"action": "unpick"})
    client.post(bulk_url("unpick", approved, next=LIST_URL))
    assert fresh(approved).picked_by == moderator


def test_a_reader_without_admin_access_is_refused(client, approved, django_user_model):
    reader = django_user_model.objects.create_user("reader", email="reader@example.com")
    client.force_login(reader)
    response = client.post(moderate_url(approved), {"action": "pick"})
    # No admin access: Wagtail sends them to its login page.
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert fresh(approved).picked_at is None
