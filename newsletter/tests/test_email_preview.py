"""A letter's email in the admin before it goes out: the preview shows the latest draft (HTML
and plain text) to whoever may edit the letter; "Send a test to me" (a POST) queues one email
to the editor's own address, marked as a test, with no unsubscribe link, and makes no Issue
or Delivery; a GET never sends; nobody else may see or send it."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import PageLogEntry

from newsletter import suppression
from newsletter.models import Delivery, Issue, SuppressedAddress
from testing.pages import answer
from testing.users import grant


@pytest.fixture
def letter(make_letter):
    letter = make_letter(title="Should I tell her?")
    letter.answer = answer("Draft answer, still being written.")
    letter.save_revision()  # a draft: the live letter keeps its answer
    return letter


def urls(letter):
    return (
        reverse("newsletter_letter_email", args=[letter.pk]),
        reverse("newsletter_letter_email_test", args=[letter.pk]),
    )


def test_the_preview_shows_the_draft_as_subscribers_get_it(admin_client, letter, mailoutbox):
    preview, _ = urls(letter)
    response = admin_client.get(preview)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft answer, still being written." in response.context["html"]
    assert "Draft answer, still being written." in response.context["text"]
    assert "Answer text number" not in response.context["text"]  # not the live answer
    assert "<iframe" in html and "srcdoc=" in html and "data-text-part" in html
    assert response.context["subject"].endswith(": Should I tell her?")
    assert "/newsletter/unsubscribe/" not in response.context["html"]
    assert mailoutbox == [] and not Issue.objects.exists()


def test_the_letters_header_links_to_the_preview(admin_client, letter):
    preview, _ = urls(letter)
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[letter.pk]))
    assert preview in edit.content.decode()


def test_a_test_copy_goes_to_the_editor_alone_and_counts_as_no_send(
    admin_client, admin_user, letter, mailoutbox
):
    _, send = urls(letter)
    response = admin_client.post(send, follow=True)
    assert response.status_code == 200
    assert f"A test copy is on its way to {admin_user.email}." in response.content.decode()
    [message] = mailoutbox
    assert message.to == [admin_user.email]
    assert message.subject.startswith("[Test] ") and message.subject.endswith("Should I tell her?")
    assert "List-Unsubscribe" not in message.extra_headers
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "Draft answer, still being written." in part
        assert "/newsletter/unsubscribe/" not in part
    assert message.body.startswith("TEST COPY") and "Test copy for the editor" in html
    assert not Issue.objects.exists() and not Delivery.objects.exists()
    entry = PageLogEntry.objects.get(action="newsletter.test_sent")
    assert entry.page_id == letter.pk and entry.user_id == admin_user.pk


def test_a_get_never_sends(admin_client, letter, mailoutbox):
    preview, send = urls(letter)
    assert admin_client.get(send).status_code == 405
    assert admin_client.get(preview).status_code == 200
    assert mailoutbox == []


def test_the_send_needs_the_csrf_token(admin_user, letter, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(urls(letter)[1]).status_code == 403
    assert mailoutbox == []


def test_who_cannot_edit_the_letter_neither_sees_nor_sends(client, letter, mailoutbox):
    user = get_user_model().objects.create_user("reader", "r@example.com", "x")
    client.force_login(grant(user, "wagtailadmin.access_admin"))
    preview, send = urls(letter)
    for response in (client.get(preview), client.post(send)):
        # Wagtail's answer to PermissionDenied in the admin: back to the dashboard, told so.
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    followed = client.get(preview, follow=True).content.decode()
    assert "Sorry, you do not have permission" in followed
    assert "Draft answer" not in followed
    edit = client.get(reverse("wagtailadmin_explore", args=[letter.get_parent().pk]))
    assert preview not in edit.content.decode()
    assert mailoutbox == [] and not PageLogEntry.objects.filter(action__startswith="newsletter")


def test_no_address_or_a_suppressed_one_is_said_plainly(
    admin_client, admin_user, letter, mailoutbox
):
    _, send = urls(letter)
    admin_user.email = ""
    admin_user.save()
    response = admin_client.post(send, follow=True)
    assert "Your account has no email address, so no test was sent." in response.content.decode()
    admin_user.email = "editor@example.com"
    admin_user.save()
    suppression.suppress("Editor@example.com", SuppressedAddress.Reason.BOUNCED)
    response = admin_client.post(send, follow=True)
    assert "is on the suppression list" in response.content.decode()
    assert mailoutbox == [] and not PageLogEntry.objects.filter(action="newsletter.test_sent")
