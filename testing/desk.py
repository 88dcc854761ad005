"""Helpers for the moderation desk's tests: its URLs, what a listing shows, messages, log
entries, the sidebar's labels and emails by recipient."""

import json
from urllib.parse import urlencode

from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from wagtail.models import ModelLogEntry

from comments.models import ReplyStatus

PENDING, APPROVED, REJECTED, SPAM, ERASED = (
    ReplyStatus.PENDING,
    ReplyStatus.APPROVED,
    ReplyStatus.REJECTED,
    ReplyStatus.SPAM,
    ReplyStatus.ERASED,
)
DENIED = "Sorry, you do not have permission to access this area."

LIST_URL = "/admin/snippets/comments/reply/"
RESULTS_URL = "/admin/snippets/comments/reply/results/"
ERASE_URL = "/admin/snippets/comments/reply/erase/"


def inspect_url(reply):
    return f"/admin/snippets/comments/reply/inspect/{reply.pk}/"


def moderate_url(reply):
    return f"/admin/snippets/comments/reply/moderate/{reply.pk}/"


def block_url(reply):
    return f"/admin/snippets/comments/reply/block/{reply.pk}/"


def history_url(reply):
    return f"/admin/snippets/comments/reply/history/{reply.pk}/"


def history_results_url(reply):
    return f"/admin/snippets/comments/reply/history-results/{reply.pk}/"


def bulk_url(action, *replies, next=None):
    params = [("id", "all" if reply == "all" else reply.pk) for reply in replies]
    if next is not None:
        params.append(("next", next))
    return f"/admin/bulk/comments/reply/{action}/?{urlencode(params)}"


def listing(**params):
    return f"{LIST_URL}?{urlencode(params)}" if params else LIST_URL


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def listed(response):
    """The replies a listing page shows, as primary keys, in order."""
    assert response.status_code == 200, response.status_code
    return [int(box["data-object-id"]) for box in soup(response).select("input[data-object-id]")]


def messages_of(response):
    """The messages this request added (earlier ones wait in the session, unread)."""
    storage = get_messages(response.wsgi_request)
    return [str(message).strip() for message in storage._queued_messages]


def logs(reply, action=None):
    entries = ModelLogEntry.objects.for_instance(reply).order_by("timestamp", "pk")
    return list(entries.filter(action=action) if action else entries)


def menu_labels(response):
    """Every label in the admin sidebar's menu (Wagtail renders it from JSON props)."""
    script = soup(response).find("script", id="wagtail-sidebar-props")
    labels = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.append(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(script.string))
    return labels


def sent_to(mailoutbox, address):
    return [message for message in mailoutbox if message.to == [address]]
