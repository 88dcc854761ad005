"""The honeypot and typing-time checks (guard.forms), on a form with guard's own fields."""

import time

from django import forms

from guard.forms import GuardedForm, sign_opened


class LetterForm(GuardedForm):
    text = forms.CharField()


def test_a_fresh_form_carries_a_signed_opening_time():
    form = LetterForm()
    data = {"text": "Dear PurseBop", "opened": form.fields["opened"].initial, "honeypot": ""}
    posted = LetterForm(data)
    assert posted.security_errors() == set()
    assert posted.typed_too_fast()  # opened a moment ago
    assert posted.is_valid()


def test_a_person_takes_longer_than_a_script():
    opened = sign_opened(time.time() - 30)
    form = LetterForm({"text": "x", "opened": opened, "honeypot": ""})
    assert not form.typed_too_fast()
    assert 29 < form.seconds_taken() < 40


def test_a_filled_honeypot_and_a_forged_or_stale_time_are_caught():
    filled = LetterForm({"text": "x", "opened": sign_opened(), "honeypot": "http://spam"})
    assert filled.security_errors() == {"honeypot"}
    forged = LetterForm({"text": "x", "opened": "1700000000", "honeypot": ""})
    assert forged.security_errors() == {"opened"}
    assert not forged.typed_too_fast()  # unknown time: the security error says it, not this
    stale = LetterForm({"text": "x", "opened": sign_opened(time.time() - 3 * 3600)})
    assert stale.security_errors() == {"opened"}
