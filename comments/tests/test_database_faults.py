"""A database fault while a reply is posted (comments.views.post_reply): 503 with Retry-After
and the reply form holding everything the reader typed, rendered without a query; nothing
stored; sending the form again once the database answers stores the reply.

Two faults: every statement failing (Django's cursor made to raise OperationalError, as an
unreachable server does; our code is not patched), and a real SQLite file whose write lock
another connection holds (testing.locked_sqlite)."""

from contextlib import contextmanager
from unittest import mock

from bs4 import BeautifulSoup
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from comments.models import Reply
from testing import locked_sqlite
from testing.output import say
from testing.replies import fresh_address, posted_reply, reply_form_data

POST_URL = "/replies/post/"
TEXT = "Mine came with a crooked strap.\n\nThe shop swapped it: ask them <b>first</b>."
MESSAGE = "We could not save your reply just now"


@contextmanager
def failing_database():
    """Every statement fails as on a server that went away; the test's own savepoints still
    work, so the test database stays usable afterwards."""
    execute = CursorWrapper.execute
    tried = []

    def fail(self, sql, params=None):
        if sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")):
            return execute(self, sql, params)
        tried.append(sql)
        raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(CursorWrapper, "execute", fail):
        yield tried


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def form_fields(response):
    form = soup(response).select_one("form[data-reply-form]")
    assert form is not None, "the reply form is not on the page"
    fields = {
        field["name"]: field.get("value", "")
        for field in form.select("input")
        if field.get("name") and field.get("type") != "checkbox"
    }
    fields.update({field["name"]: "on" for field in form.select("input[type=checkbox][checked]")})
    fields["comment"] = form.find("textarea", attrs={"name": "comment"}).get_text()
    return fields


def test_a_failing_database_answers_503_with_the_form_and_everything_typed(client, letter):
    data = reply_form_data(
        letter, comment=TEXT, name="Crooked Strap", email="crooked@example.com", followup=True
    )
    with failing_database() as tried:
        response = client.post(POST_URL, data, REMOTE_ADDR=fresh_address())
    assert tried, "the post never reached the database"
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = soup(response)
    assert MESSAGE in page.select_one("[role=alert]").get_text()
    assert page.select_one("header.site-header")
    fields = form_fields(response)
    assert fields["comment"] == TEXT
    assert (fields["name"], fields["email"], fields.get("followup")) == (
        "Crooked Strap",
        "crooked@example.com",
        "on",
    )
    for name in ("content_type", "object_pk", "timestamp", "security_hash", "reply_to"):
        assert fields[name] == data[name], name  # the form as it was: it can be sent again
    assert fields["csrfmiddlewaretoken"]
    assert Reply.objects.count() == 0

    reply = posted_reply(client.post(POST_URL, fields, REMOTE_ADDR=fresh_address()))
    # The ticked box is kept; follow-ups wait for the address's proof (the "published" link).
    assert (reply.comment, reply.user_name, reply.followup, reply.followup_pending) == (
        TEXT,
        "Crooked Strap",
        False,
        True,
    )


def test_a_csrf_failure_while_the_database_fails_still_keeps_the_text(letter):
    strict = Client(enforce_csrf_checks=True)
    data = reply_form_data(letter, comment=TEXT)
    with failing_database():
        response = strict.post(POST_URL, data, REMOTE_ADDR=fresh_address())
    assert response.status_code == 503
    assert form_fields(response)["comment"] == TEXT


def test_a_reply_posted_while_sqlite_is_locked_answers_503_and_can_be_sent_again(
    sqlite_site, tmp_path, pytestconfig
):
    result = locked_sqlite.run(sqlite_site, tmp_path, "post")
    say(
        pytestconfig,
        f"reply posted with SQLite's write lock held elsewhere (2 s busy timeout): "
        f"{result['status']} in {result['seconds']:.2f} s",
    )
    assert result["status"] == 503, result
    assert result["retry_after"] == "60"
    assert MESSAGE in result["alert"]
    assert result["fields"]["comment"] == "Mine came crooked too.\n\nKeep it."
    assert result["fields"]["name"] == "Locked Out"
    assert result["stored_while_locked"] == 0
    assert result["again_status"] == 302  # once the lock is released, the same form posts
    assert result["stored"] == [["Locked Out", "Mine came crooked too.\n\nKeep it."]]
