"""Reader letters for tests: a write-in page for a column, form data that passes the typing
time, letters posted through the real view or stored directly."""

import time

from django.urls import reverse

from guard.forms import sign_opened
from mailbag.models import ReaderLetter, WriteInPage
from testing.pages import publish_child
from testing.replies import fresh_address, fresh_email


def add_write_in_page(column, parent=None, **fields):
    """The column's write-in page, under the column (or under `parent`, as pages made before
    columns held their own were: under the home page), chosen by the column."""
    values = {"title": "Write to PurseBop", "slug": "write", "intro": "<p>Ask us anything.</p>"}
    page = publish_child(parent or column, WriteInPage(**{**values, **fields}))
    column.refresh_from_db()
    column.write_in_page = page
    column.save_revision().publish()
    return page


def letter_data(age=60, **fields):
    """What the form posts: a letter opened `age` seconds ago (longer than anyone's typing
    time), consent given."""
    data = {
        "letter": "My bag's strap cracked after a week.\n\nShould I ask for a repair?",
        "pen_name": "Cracked in Cleveland",
        "topic": "",
        "email": fresh_email(),
        "notify_on_answer": "on",
        "consent": "on",
        "honeypot": "",
        "opened": sign_opened(time.time() - age),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def post_letter(client, page, address=None, **fields):
    return client.post(
        reverse("mailbag-send", args=[page.pk]),
        letter_data(**fields),
        REMOTE_ADDR=address or fresh_address(),
    )


def store_letter(column=None, page=None, **fields):
    values = {
        "pen_name": "Worried in Wichita",
        "letter": "Is a vintage bag worth restoring?",
        "email": fresh_email(),
        "notify_on_answer": True,
        "consent": True,
        "column": column,
        "page": page,
    }
    values.update(fields)
    return ReaderLetter.objects.create(**values)
