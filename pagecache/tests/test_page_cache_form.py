"""The reply form on a kept page (one every reader shares): with the script it asks for a token
and a fresh time; without it the first send is the confirm step, with the reader's text kept."""

import time

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comments.forms import ReplyForm
from comments.models import Reply
from guard import opened as opened_values
from pagecache.tests.kept_pages import kept
from testing.replies import fresh_address, posted_reply

# --- The reply form on a kept page ---------------------------------------------------------


def form_data(response, **fields):
    """What the browser would send from the page's reply form: every hidden input, the
    honeypot empty, and the reader's fields."""
    form = BeautifulSoup(response.content, "html.parser").select_one("[data-reply-form]")
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    data.update(honeypot="", name="Crooked Too", email="crooked@example.com")
    data.update(comment="Mine came crooked as well.", **fields)
    return data


@pytest.fixture
def no_typing_time(monkeypatch):
    monkeypatch.setattr(ReplyForm, "min_seconds_to_type", 0)


@pytest.mark.django_db
def test_with_the_script_the_form_asks_for_a_token_and_a_fresh_time(client, letter, no_typing_time):
    page = kept(client, letter.url)
    reader = Client(enforce_csrf_checks=True)
    data = form_data(page)
    with CaptureQueriesContext(connection) as queries:
        fresh = reader.get(
            "/replies/fresh/",
            {"content_type": data["content_type"], "object_pk": data["object_pk"]},
        )
    assert len(queries) == 0
    assert fresh.status_code == 200
    assert "no-cache" in fresh["Cache-Control"]
    values = fresh.json()
    assert set(values) == {"csrfmiddlewaretoken", "timestamp", "security_hash", "opened"}
    assert abs(int(values["timestamp"]) - time.time()) < 5
    opened = opened_values.read(values["opened"])
    assert opened.one_use and abs(opened.at - time.time()) < 5  # the typing time counts from now
    data.update(values)
    response = reader.post("/replies/post/", data, REMOTE_ADDR=fresh_address())
    reply = posted_reply(response)
    assert reply.comment == "Mine came crooked as well."
    # The poster sees their held reply through the uncached fragment; the kept page is
    # unchanged for everyone.
    own = reader.get(f"/replies/yours/{letter.pk}/")
    assert own.status_code == 200 and b"Mine came crooked as well." in own.content
    assert b"Mine came crooked as well." not in kept(client, letter.url).content


@pytest.mark.django_db
def test_without_the_script_the_first_send_is_the_confirm_step_with_the_text_and_a_token(
    client, letter, no_typing_time
):
    page = kept(client, letter.url)
    reader = Client(enforce_csrf_checks=True)
    response = reader.post("/replies/post/", form_data(page), REMOTE_ADDR=fresh_address())
    assert response.status_code == 200  # the confirm step, not an error
    assert not Reply.objects.exists()
    again = BeautifulSoup(response.content, "html.parser")
    assert again.h1.get_text() == "One more step"
    assert again.select_one("textarea[name=comment]").get_text() == "Mine came crooked as well."
    assert again.select_one("input[name=csrfmiddlewaretoken]")["value"]
    assert again.select_one("input[name=name]")["value"] == "Crooked Too"

    data = form_data(response)  # the fresh token, time and hash, as the browser sends them
    reply = posted_reply(reader.post("/replies/post/", data, REMOTE_ADDR=fresh_address()))
    assert reply.comment == "Mine came crooked as well."


@pytest.mark.django_db
def test_the_fresh_endpoint_refuses_nonsense(client):
    assert client.get("/replies/fresh/").status_code == 400
    assert client.get("/replies/fresh/", {"content_type": "x", "object_pk": "a"}).status_code == 400
