"""The gate every reader's form passes (guard.gate), with a kind of post of the test's own:
its steps in order, the kind's words, and a refusal inside the storing transaction rolling
back what it claimed (the duplicate key, the one-use value), so the same post can be sent
again. Replies and reader letters are tested through their own views."""

import time
from types import SimpleNamespace

import pytest
from django import forms
from django.test import RequestFactory

from guard import gate
from guard import opened as opened_values
from guard.forms import GuardedForm
from guard.models import BlockedSender
from testing.replies import fresh_address

MESSAGES = gate.Messages(
    honeypot="Leave the last field empty.",
    expired="Expired.",
    invalid="Check the fields.",
    too_fast="Too fast.",
    blocked="Not from this address.",
    rate_limited="At most {count} in {minutes} minutes.",
)


class NoteForm(GuardedForm):
    email = forms.EmailField()
    text = forms.CharField()

    def fresh(self):
        data = self.data.copy()
        data["opened"] = self.renewed_opened()
        return NoteForm(data=data)


class NotePost(gate.ReaderPost):
    scope = "test-note"
    rate_limits_setting = "TEST_NOTE_RATE_LIMITS"
    default_rate_limits = [("ip", 2, 600)]
    messages = MESSAGES

    def __init__(self, request, kept):
        super().__init__(request)
        self.kept = kept

    def prepare(self):
        self.form = NoteForm(data=self.request.POST)

    @property
    def email(self):
        return self.form.cleaned_data["email"]

    def duplicate_parts(self):
        return (self.form.cleaned_data["text"],)

    def store(self):
        note = SimpleNamespace(text=self.form.cleaned_data["text"], logged=False)
        self.kept.append(note)
        return note

    def after_store(self, stored):
        stored.logged = True


@pytest.fixture
def send(db):
    kept = []
    address = fresh_address()  # rate-limit counters may outlive the test (Redis)

    def send(text="A note.", email="reader@example.com", opened=None, **data):
        posted = {"email": email, "text": text, "honeypot": "", **data}
        posted["opened"] = opened or opened_values.issue(time.time() - 60)
        request = RequestFactory().post("/notes/", posted, REMOTE_ADDR=address)
        return gate.run(NotePost(request, kept))

    send.kept = kept
    return send


def test_a_post_is_stored_once_and_its_after_store_step_runs(send):
    outcome = send()
    assert outcome.result is gate.Result.STORED
    assert outcome.stored is send.kept[0] and outcome.stored.logged
    again = send()  # the same note with a fresh form: Back and Send again
    assert again.result is gate.Result.DUPLICATE
    assert len(send.kept) == 1


@pytest.mark.parametrize(
    ("post", "message"),
    [
        (lambda: {"honeypot": "filled"}, MESSAGES.honeypot),
        (lambda: {"opened": "forged"}, MESSAGES.expired),
        (lambda: {"email": "not an address"}, MESSAGES.invalid),
        (lambda: {"opened": opened_values.issue(time.time())}, MESSAGES.too_fast),
    ],
    ids=["honeypot", "expired", "invalid", "too-fast"],
)
def test_each_refusal_keeps_the_text_and_stores_nothing(send, post, message):
    outcome = send(**post())  # built when the test runs: "opened just now" must be now
    assert (outcome.result, outcome.status, outcome.message) == (gate.Result.REFUSED, 400, message)
    assert outcome.form.data["text"] == "A note."
    assert send.kept == []


def test_a_page_value_or_a_used_value_leads_to_the_confirm_step(send):
    page_value = send(opened=opened_values.issue(time.time() - 60, one_use=False))
    assert page_value.result is gate.Result.CONFIRM
    assert opened_values.read(page_value.form.data["opened"]).one_use
    used = opened_values.issue(time.time() - 60)
    assert send(opened=used).result is gate.Result.STORED
    assert send(text="Another note.", opened=used).result is gate.Result.CONFIRM
    assert len(send.kept) == 1


def test_a_refusing_block_stops_the_post_before_it_spends_anything(send):
    BlockedSender.objects.create(kind="email", value="reader@example.com", action="refuse")
    opened = opened_values.issue(time.time() - 60)
    for _ in range(3):  # over the limit of two, had the refusals counted
        outcome = send(opened=opened)
        assert (outcome.status, outcome.message) == (403, MESSAGES.blocked)
    assert send(email="other@example.com", opened=opened).result is gate.Result.STORED


def test_the_rate_limit_refuses_with_the_kinds_words_and_rolls_back_its_claims(send, settings):
    send(text="One.")
    send(text="Two.")
    opened = opened_values.issue(time.time() - 60)
    refused = send(text="Three.", opened=opened)
    assert (refused.status, refused.message) == (429, "At most 2 in 10 minutes.")
    settings.TEST_NOTE_RATE_LIMITS = [("ip", 5, 600)]
    # Neither the note's duplicate key nor the form's one-use value was kept by the refusal.
    assert send(text="Three.", opened=opened).result is gate.Result.STORED
    assert [note.text for note in send.kept] == ["One.", "Two.", "Three."]
