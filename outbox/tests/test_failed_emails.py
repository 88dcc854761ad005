"""Failed emails in the admin (Reports → Failed emails, outbox.views): every email given up
after its five attempts, listed for the people allowed to send it again, and sent again once
however often the button is pressed. Readers' addresses are not shown, only how many."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.urls import reverse

from outbox.delivery import ATTEMPTS, enqueue
from testing.mail import closed_port, queued, run_email_worker

LIST_URL = "/admin/reports/failed-emails/"
ADDRESS = "writer@example.com"


def user_with(name, *codenames):
    user = get_user_model().objects.create_user(name, password="x")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    return user


@pytest.fixture
def given_up(email_queue, settings):
    """An email whose last attempt the mail server refused: its result is FAILED."""
    delivered = settings.EMAIL_DELIVERY_BACKEND
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5
    enqueue([EmailMessage("Your letter is answered", "Read it here.", to=[ADDRESS])], ATTEMPTS)
    (result,) = run_email_worker()
    assert result.status == "FAILED"
    settings.EMAIL_DELIVERY_BACKEND = delivered  # the mail server is back
    return result


def test_failed_emails_are_listed_for_those_allowed(client, given_up):
    client.force_login(user_with("ops", "send_failed_email_again"))
    response = client.get(LIST_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your letter is answered" in page
    assert "not sent after 5 attempts" in page
    assert ADDRESS not in page
    assert reverse("outbox_send_again", args=[given_up.pk]) in page
    assert LIST_URL in client.get("/admin/").content.decode()  # in the Reports menu


def test_failed_emails_are_hidden_from_other_editors(client, given_up):
    client.force_login(user_with("eddie"))
    response = client.get(LIST_URL)
    assert response.status_code in (302, 403)
    assert "Your letter is answered" not in response.content.decode()
    assert LIST_URL not in client.get("/admin/").content.decode()
    response = client.post(reverse("outbox_send_again", args=[given_up.pk]))
    assert response.status_code in (302, 403)
    assert [r.status for r in queued()] == ["FAILED"]


def test_send_again_queues_the_email_once_as_a_first_attempt(client, given_up, mailoutbox):
    client.force_login(user_with("ops", "send_failed_email_again"))
    url = reverse("outbox_send_again", args=[given_up.pk])
    response = client.post(url, follow=True)
    assert "Queued to be sent again: “Your letter is answered”." in response.content.decode()
    (waiting,) = queued(status="READY")
    assert waiting.args_kwargs["args"][1] == 1  # five attempts again
    assert not queued(status="FAILED").exists()

    again = client.post(url, follow=True)  # a second press, or a second tab
    assert "That email was sent again already." in again.content.decode()
    assert queued(status="READY").count() == 1

    run_email_worker()
    assert [(m.subject, m.to) for m in mailoutbox] == [("Your letter is answered", [ADDRESS])]
    assert client.get(url).status_code == 405
