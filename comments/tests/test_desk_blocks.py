"""The block list, from a reply's page: hold or refuse an email or IP address, renew, undo."""

import datetime

from django.utils import timezone
from wagtail.models import ModelLogEntry

from guard.models import BlockedSender
from testing.desk import (
    PENDING,
    block_url,
    history_url,
    inspect_url,
    logs,
    messages_of,
    soup,
)

# --- Block list -----------------------------------------------------------------------------


def test_block_an_email_address_for_a_week(desk, held, moderator):
    before = timezone.now()
    response = desk.post(
        block_url(held), {"kind": "email", "action": "hold", "expires": "7", "reason": ""}
    )
    assert (response.status_code, response["Location"]) == (302, inspect_url(held))
    entry = BlockedSender.objects.get()
    assert (entry.kind, entry.value, entry.action) == ("email", "harriet@example.com", "hold")
    assert entry.created_by == moderator
    assert entry.reason == f"From reply #{held.pk}"
    week = datetime.timedelta(days=7)
    assert before + week <= entry.expires_at <= timezone.now() + week
    assert entry.is_active
    # The moderator may not see readers' addresses: the message does not name it.
    assert messages_of(response)[0].startswith("Always hold for a moderator: the author’s email")
    assert "harriet@example.com" not in messages_of(response)[0]
    # Logged on the entry and on the reply it came from; neither label is the address.
    [on_entry] = ModelLogEntry.objects.for_instance(entry)
    [on_reply] = logs(held)
    assert on_entry.label == f"Block #{entry.pk}" and on_reply.label == f"Reply #{held.pk}"
    for log in (on_entry, on_reply):
        assert (log.action, log.user) == ("comments.block", moderator)
        assert log.data == {
            "kind": "email",
            "block": "hold",
            "reply": held.pk,
            "expires_at": entry.expires_at.isoformat(),
        }
    history = soup(desk.get(history_url(held))).select_one("tbody tr td").get_text(strip=True)
    # The admin's one date style (config/formats/en_GB): "7 Dec 2026, 14:30".
    until = f"{entry.expires_at:%-d %b %Y, %H:%M}"
    assert history == f"Hold replies from the author’s email address until {until}"
    # The reply's page shows the entry, and the next reply from the address is matched.
    blocks = soup(desk.get(inspect_url(held))).select_one("[aria-labelledby=block-heading]")
    assert "Email address: Always hold for a moderator" in blocks.get_text()
    assert "harriet@example.com" not in blocks.get_text()
    assert BlockedSender.match(email="Harriet@Example.com") == entry


def test_block_an_ip_address_until_removed_and_renew_it(desk, held, moderator):
    desk.post(block_url(held), {"kind": "ip", "action": "refuse", "expires": "", "reason": "Bot"})
    entry = BlockedSender.objects.get()
    assert (entry.kind, entry.value, entry.action, entry.expires_at, entry.reason) == (
        "ip",
        "192.0.2.7",
        "refuse",
        None,
        "Bot",
    )
    assert BlockedSender.match(ip="192.0.2.7") == entry
    # Blocking the same address again renews the one entry.
    desk.post(block_url(held), {"kind": "ip", "action": "hold", "expires": "1"})
    entry = BlockedSender.objects.get()
    assert entry.action == "hold" and entry.expires_at is not None
    assert [log.data["block"] for log in logs(held)] == ["refuse", "hold"]
    assert ModelLogEntry.objects.for_instance(entry).count() == 2


def test_undo_a_block_from_the_replys_page(desk, held):
    desk.post(block_url(held), {"kind": "email", "action": "hold", "expires": "7"})
    entry = BlockedSender.objects.get()
    page = soup(desk.get(inspect_url(held)))
    remove = page.find("a", string="Remove")["href"]
    confirm = desk.get(remove)
    assert confirm.status_code == 200
    done = desk.post(remove)
    assert done.status_code == 302 and done["Location"] == inspect_url(held)
    assert not BlockedSender.objects.exists()
    assert ModelLogEntry.objects.filter(object_id=str(entry.pk), action="wagtail.delete").exists()
    assert BlockedSender.match(email=held.user_email) is None


def test_blocking_needs_a_valid_choice_and_an_address(desk, held, make_reply):
    response = desk.post(block_url(held), {"kind": "email", "action": "forever"})
    assert messages_of(response) == ["Choose what to do and for how long."]
    no_ip = make_reply(status=PENDING, ip_address=None)
    response = desk.post(block_url(no_ip), {"kind": "ip", "action": "hold", "expires": ""})
    assert messages_of(response) == ["This reply has no such address."]
    assert BlockedSender.objects.count() == 0
