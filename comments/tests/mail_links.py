"""Reading the emails about replies as a reader does: their links, each followed."""

import re
from urllib.parse import urlsplit

from comments import lifecycle
from comments.models import ReaderEmail, Reply

BASE = "http://testserver"


def links(message):
    found = re.findall(r"https?://\S+", message.body)
    assert all(link.startswith(BASE + "/") for link in found), found
    return found


def link_after(message, label):
    match = re.search(rf"{re.escape(label)}\s*(https?://\S+)", message.body)
    assert match, f"no link after {label!r} in:\n{message.body}"
    return match.group(1)


def path(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def follow(client, url):
    """GET a link from an email as a browser does, following redirects; it must work."""
    response = client.get(path(url), follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response


def confirm_through(client, url):
    """Open a confirmation link as a reader does: GET asks and changes nothing (a mail
    scanner's visit confirms nothing), POST confirms."""
    email_before = set(ReaderEmail.objects.filter(confirmed_at__isnull=False).values_list("email"))
    asked = follow(client, url)
    assert "Confirm my address" in asked.text
    assert set(ReaderEmail.objects.filter(confirmed_at__isnull=False).values_list("email")) == (
        email_before
    )
    response = client.post(path(url))
    assert response.status_code == 200
    return response


def to(mailoutbox, address):
    return [message for message in mailoutbox if message.to == [address]]


def approve(reply):
    """Approve through the one way a reply changes state (comments.lifecycle)."""
    reply = Reply.objects.get(pk=reply.pk)
    lifecycle.moderate(reply, "approve", None)
    return reply
