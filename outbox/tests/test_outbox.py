"""The email queue: mail sent anywhere (Django's send_mail, Wagtail, a password reset) is
queued, never sent inside the request; the worker sends it through the real backend; a send
that fails is tried again later, five attempts in all, then logged and kept."""

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail, send_mass_mail
from wagtail.admin.mail import send_mail as wagtail_send_mail

import config.settings.base
import config.settings.test
from outbox import delivery
from outbox.delivery import ATTEMPTS, RETRY_DELAYS, enqueue
from testing.mail import QUEUED, closed_port, queued, run_email_worker

SEND_TASK = "outbox.delivery.send_messages"


@pytest.fixture
def queued_backend(settings):
    """EMAIL_BACKEND as the settings name it: Django's test set-up replaces it with locmem."""
    settings.EMAIL_BACKEND = QUEUED


@pytest.fixture
def mail_server_down(settings):
    """The real backend is SMTP to a local port where nothing listens."""
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5


def test_every_environment_queues_its_mail():
    """Settings name the queue as EMAIL_BACKEND; only the worker's backend differs."""
    assert config.settings.base.EMAIL_BACKEND == QUEUED
    assert config.settings.test.EMAIL_BACKEND == QUEUED
    assert config.settings.base.TASKS["email"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    # Wagtail's own tasks (search and reference index) stay immediate.
    assert config.settings.base.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


def test_send_mail_is_queued_and_the_worker_sends_it(queued_backend, email_queue, mailoutbox):
    assert send_mail("Hello", "A body.", None, ["reader@example.com"]) == 1
    assert mailoutbox == []  # nothing sent by the caller
    (task,) = queued()
    assert (task.task_path, task.status) == (SEND_TASK, "READY")

    (ran,) = run_email_worker()
    assert (ran.status, ran.return_value) == ("SUCCESSFUL", {"sent": 1, "retrying": 0})
    (message,) = mailoutbox
    assert (message.subject, message.body, message.to) == (
        "Hello",
        "A body.",
        ["reader@example.com"],
    )
    assert message.from_email == "Dear PurseBop <column@localhost>"
    assert run_email_worker() == []  # sent once


def test_mail_wagtail_sends_is_queued(queued_backend, email_queue, mailoutbox, client, db):
    """Wagtail's notifications (its own send_mail, with an HTML part and a header) and its
    password reset (Django's form) both go through the queue."""
    wagtail_send_mail(
        "Page awaiting moderation", "Text part.", ["editor@example.com"], html_message="<p>HTML</p>"
    )
    get_user_model().objects.create_user("forgetful", email="forgetful@example.com", password="x")
    response = client.post("/admin/password_reset/", {"email": "forgetful@example.com"})
    assert response.status_code == 302
    assert mailoutbox == []
    assert [task.task_path for task in queued()] == [SEND_TASK, SEND_TASK]

    run_email_worker()
    notification, reset = mailoutbox
    assert notification.subject == "Page awaiting moderation"
    assert notification.alternatives == [("<p>HTML</p>", "text/html")]
    assert notification.extra_headers["Auto-Submitted"] == "auto-generated"
    assert reset.to == ["forgetful@example.com"]
    assert "/admin/password_reset/confirm/" in reset.body


def test_a_message_arrives_as_it_was_written(queued_backend, email_queue, mailoutbox):
    message = EmailMultiAlternatives(
        "Subject “quoted”",
        "Body\nwith lines.",
        "Sender <sender@example.com>",
        ["to@example.com"],
        bcc=["bcc@example.com"],
        cc=["cc@example.com"],
        reply_to=["reply@example.com"],
        headers={"List-Unsubscribe": "<https://example.com/stop>"},
    )
    message.attach_alternative("<p>Body</p>", "text/html")
    message.attach("notes.txt", "Plain notes.", "text/plain")
    message.attach("photo.png", b"\x89PNG\r\n\x1a\n\x00\xff", "image/png")
    message.send()
    run_email_worker()

    (sent,) = mailoutbox
    for name in ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to", "alternatives"):
        assert getattr(sent, name) == getattr(message, name), name
    assert [tuple(a) for a in sent.attachments] == [tuple(a) for a in message.attachments]
    assert sent.extra_headers["List-Unsubscribe"] == "<https://example.com/stop>"
    # Written once, before the queue: the time it was written and one identity for every try.
    assert sent.extra_headers["Message-ID"].endswith("@example.com>")
    assert sent.extra_headers["Date"]
    assert sent.message()["Message-ID"] == sent.extra_headers["Message-ID"]


def test_several_messages_of_one_call_are_one_task(queued_backend, email_queue, mailoutbox):
    sent = send_mass_mail(
        [(f"Note {n}", "Body.", None, [f"r{n}@example.com"]) for n in range(3)]
        + [("No one", "", None, [])]
    )
    assert sent == 3
    (task,) = queued()
    assert len(task.args_kwargs["args"][0]) == 3
    run_email_worker()
    assert sorted(m.to[0] for m in mailoutbox) == [
        "r0@example.com",
        "r1@example.com",
        "r2@example.com",
    ]


def test_a_failed_send_is_tried_again_later_five_times_then_logged_and_kept(
    queued_backend, email_queue, mail_server_down, mailoutbox, caplog
):
    caplog.set_level(logging.WARNING, logger="outbox")
    send_mail("Your reply is published", "Body.", None, ["reader@example.com"])

    (previous,) = run_email_worker()
    assert (previous.status, previous.return_value) == ("SUCCESSFUL", {"sent": 0, "retrying": 1})
    for attempt, delay in enumerate(RETRY_DELAYS, start=2):
        (retry,) = queued(status="READY")
        assert retry.args_kwargs["args"][1] == attempt
        # Queued by the failed attempt, to run `delay` after it: 1, 5, 25, then 125 minutes.
        assert previous.started_at + delay <= retry.run_after <= previous.finished_at + delay
        assert run_email_worker() == []  # not due yet: nothing runs early
        (previous,) = run_email_worker(later=delay)
        assert previous.pk == retry.pk
    assert RETRY_DELAYS == [datetime.timedelta(minutes=m) for m in (1, 5, 25, 125)]

    results = list(queued())
    assert len(results) == ATTEMPTS == 5
    assert [r.args_kwargs["args"][1] for r in results] == [1, 2, 3, 4, 5]
    assert [r.status for r in results] == ["SUCCESSFUL"] * 4 + ["FAILED"]
    last = results[-1]
    assert last.exception_class_path == "outbox.delivery.NotDelivered"
    assert "ConnectionRefusedError" in last.traceback
    assert last.args_kwargs["args"][0][0]["to"] == ["reader@example.com"]  # kept, to resend
    assert not queued(status="READY").exists()
    assert mailoutbox == []

    warnings = [r for r in caplog.records if r.name == "outbox" and r.levelno == logging.WARNING]
    errors = [r for r in caplog.records if r.name == "outbox" and r.levelno == logging.ERROR]
    assert len(warnings) == 4
    (error,) = errors
    assert "given up" in error.getMessage() and "Your reply is published" in error.getMessage()
    assert str(last.pk) in error.getMessage()


def test_a_retry_sends_once_the_server_is_back(
    queued_backend, email_queue, mail_server_down, settings, mailoutbox
):
    send_mail("Hello again", "Body.", None, ["reader@example.com"])
    run_email_worker()
    (retry,) = queued(status="READY")
    first_id = retry.args_kwargs["args"][0][0]["headers"]["Message-ID"]

    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    (ran,) = run_email_worker(later=RETRY_DELAYS[0])
    assert (ran.status, ran.return_value) == ("SUCCESSFUL", {"sent": 1, "retrying": 0})
    (message,) = mailoutbox
    assert message.extra_headers["Message-ID"] == first_id


def test_only_the_refused_message_is_tried_again(email_queue, settings, mailoutbox):
    settings.EMAIL_DELIVERY_BACKEND = "testing.mail.RefusingBackend"
    enqueue(
        [
            EmailMessage("One", "Body.", None, ["kept@example.com"]),
            EmailMessage("Two", "Body.", None, ["gone@refused.example"]),
        ]
    )
    (ran,) = run_email_worker()
    assert ran.return_value == {"sent": 1, "retrying": 1}
    assert [m.to for m in mailoutbox] == [["kept@example.com"]]
    (retry,) = queued(status="READY")
    assert [m["to"] for m in retry.args_kwargs["args"][0]] == [["gone@refused.example"]]


def test_the_worker_never_queues_again_what_it_sends(email_queue, settings, mailoutbox):
    """The real backend must be one that sends: the queue there would loop for ever."""
    settings.EMAIL_DELIVERY_BACKEND = QUEUED
    enqueue([EmailMessage("Loop", "Body.", None, ["reader@example.com"])])
    (ran,) = run_email_worker()
    assert ran.status == "FAILED"
    assert ran.exception_class_path.endswith("ImproperlyConfigured")
    assert len(queued()) == 1 and mailoutbox == []
    with pytest.raises(ImproperlyConfigured):
        delivery.delivery_connection()


def test_with_the_immediate_backend_mail_is_sent_at_once(db, queued_backend, mailoutbox):
    """The test settings' email backend: every other email test sees its mail at once."""
    send_mail("At once", "Body.", None, ["reader@example.com"])
    assert [m.subject for m in mailoutbox] == ["At once"]
    assert not queued().exists()
