"""The weekly round-up (newsletter.roundup, `manage.py send_weekly_roundup`): a column's letters
of the week and its "Readers weigh in" picks, sent to its active weekly subscribers only, once
per week however often the command runs; imported letters, other weeks' letters, picks taken
back and empty weeks stay out; the email carries the one-click unsubscribe, which works."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from comments import lifecycle
from comments.models import ReplyStatus
from newsletter import roundup
from newsletter.models import Issue, Subscriber
from newsletter.tests.test_sending import newsletter_mail, subscribe
from testing.replies import store_reply


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser("mo", "mo@staff.example", "pw")


@pytest.fixture
def week():
    return roundup.week_of(timezone.localdate())


@pytest.fixture
def weekly_readers(column):
    return {
        "weekly": subscribe(column, "weekly@example.com", cadence="weekly"),
        "each": subscribe(column, "each@example.com"),
        "waiting": subscribe(
            column, "later@example.com", cadence="weekly", state=Subscriber.State.WAITING
        ),
    }


def send(week, capture, **options):
    out = io.StringIO()
    with capture(execute=True):
        call_command("send_weekly_roundup", week=week, stdout=out, **options)
    return out.getvalue()


def approved_reply(letter, name, text):
    return store_reply(
        letter,
        status=ReplyStatus.APPROVED,
        user_name=name,
        user_email=f"{name.split()[0].lower()}@example.com",
        comment=text,
    )


def test_the_weeks_letters_and_picks_go_to_weekly_subscribers_once(
    make_letter,
    weekly_readers,
    week,
    moderator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    this_week = make_letter(title="Is a scuffed corner worth fixing?", date=week)
    make_letter(title="An older question?", date=week - datetime.timedelta(days=3))
    make_letter(title="Brought over from the old site?", date=week, imported=True)
    reply = approved_reply(this_week, "Tidy Tam", "A cobbler fixed mine for the price of lunch.")
    approved_reply(this_week, "Other Olly", "Not picked, not in the email.")
    assert lifecycle.pick(reply, moderator)
    mailoutbox.clear()  # the each-answer emails of the publications above

    output = send(week, django_capture_on_commit_callbacks)
    assert "queued for its subscribers" in output
    [message] = newsletter_mail(mailoutbox)
    assert message.to == ["weekly@example.com"]
    issue = Issue.objects.get(kind=Issue.Kind.WEEKLY)
    assert message.subject == issue.title == roundup.week_title(this_week.get_parent(), week)
    body, html = message.body, message.alternatives[0][0]
    for text in (body, html):
        assert "Is a scuffed corner worth fixing?" in text
        assert "Answer text number 1." in text
        assert "Readers weigh in" in text
        assert "Tidy Tam" in text and "for the price of lunch" in text
        assert "An older question?" not in text
        assert "Brought over from the old site?" not in text
        assert "Not picked" not in text
    assert f"{this_week.get_full_url()}#reply-{reply.pk}" in body
    assert 'style="' in html  # inlined for mail clients
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Run again (a second scheduler, a retry): nothing more is sent.
    output = send(week, django_capture_on_commit_callbacks)
    assert "already sent" in output
    assert len(newsletter_mail(mailoutbox)) == 1
    assert Issue.objects.filter(kind=Issue.Kind.WEEKLY).count() == 1

    # The round-up's one-click unsubscribe: a POST with no cookie and no token.
    url = message.extra_headers["List-Unsubscribe"][1:-1].removeprefix("http://testserver")
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    weekly = weekly_readers["weekly"]
    weekly.refresh_from_db()
    assert weekly.state == Subscriber.State.UNSUBSCRIBED


def test_a_pick_taken_back_is_not_in_the_roundup(
    make_letter, weekly_readers, week, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    letter = make_letter(title="Should I dye a faded tote?", date=week)
    reply = approved_reply(letter, "Dyed Dee", "Mine came out blotchy.")
    assert lifecycle.pick(reply, moderator)
    assert lifecycle.unpick(reply, moderator)
    mailoutbox.clear()
    send(week, django_capture_on_commit_callbacks)
    [message] = newsletter_mail(mailoutbox)
    assert "Should I dye a faded tote?" in message.body
    assert "Readers weigh in" not in message.body and "Dyed Dee" not in message.body


def test_a_pick_of_the_week_alone_makes_a_roundup(
    make_letter, weekly_readers, week, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    older = make_letter(title="Can suede survive rain?", date=week - datetime.timedelta(days=20))
    reply = approved_reply(older, "Rainy Ros", "Spray it first, then let it dry slowly.")
    assert lifecycle.pick(reply, moderator)
    mailoutbox.clear()
    send(week, django_capture_on_commit_callbacks)
    [message] = newsletter_mail(mailoutbox)
    assert "Readers weigh in" in message.body
    assert "Rainy Ros" in message.body and "Can suede survive rain?" in message.body


def test_a_week_with_no_letter_and_no_pick_sends_nothing(
    make_letter, weekly_readers, week, mailoutbox, django_capture_on_commit_callbacks
):
    make_letter(title="Last month's question?", date=week - datetime.timedelta(days=30))
    mailoutbox.clear()
    output = send(week, django_capture_on_commit_callbacks)
    assert "no letter and no pick that week, nothing sent" in output
    assert newsletter_mail(mailoutbox) == []
    assert not Issue.objects.filter(kind=Issue.Kind.WEEKLY).exists()


def test_by_default_the_week_that_ended_and_a_bad_date_is_refused(column):
    monday = datetime.date(2026, 12, 7)
    assert roundup.last_full_week(monday) == datetime.date(2026, 11, 30)
    assert roundup.last_full_week(datetime.date(2026, 12, 13)) == datetime.date(2026, 11, 30)
    assert roundup.week_of(datetime.date(2026, 12, 13)) == monday
    with pytest.raises(CommandError, match="2026-11-30"):
        call_command("send_weekly_roundup", "--week", "last tuesday", stdout=io.StringIO())
