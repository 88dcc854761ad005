"""An answer's email before it goes out, in the admin: the preview (the HTML as subscribers
get it, and its plain-text part) and "Send a test to me", for a letter draft or published,
to anyone who may edit it. Both read the latest revision, the draft, so the editor sees what
publishing it would send.

The test copy is queued through outbox to the editor's own address, marked "[Test]", with no
unsubscribe link or header (it belongs to no subscriber); it makes no Issue or Delivery, so
the letter is still sent out, once, when it is published. It is written in the letter's
history (newsletter.history)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.models import Page

from advice.models import LetterPage
from newsletter import emails, history, suppression
from outbox.delivery import enqueue

PREVIEW = "newsletter_letter_email"
SEND_TEST = "newsletter_letter_email_test"


def is_letter(page):
    return issubclass(page.specific_class or Page, LetterPage)


def can_preview(page, user):
    return is_letter(page) and page.permissions_for_user(user).can_edit()


def preview_url(page):
    return reverse(PREVIEW, args=[page.pk])


def editable_letter(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    if not is_letter(page):
        raise Http404("Not a letter")
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page.specific


def preview(request, page_id):
    letter = editable_letter(request, page_id)
    draft = letter.get_latest_revision_as_object()
    subject, html, text = emails.preview_parts(emails.letter_content(draft))
    issue = getattr(letter, "newsletter_issue", None) if letter.live else None
    return TemplateResponse(
        request,
        "newsletter/admin/email_preview.html",
        {
            "letter": letter,
            "subject": subject,
            "html": html,
            "text": text,
            "address": request.user.email,
            "is_draft": letter.has_unpublished_changes or not letter.live,
            "issue": issue,
            "send_url": reverse(SEND_TEST, args=[letter.pk]),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[letter.pk]),
            "page_title": f"Email preview: {letter.title}",
            "header_title": "Email to subscribers",
        },
    )


@require_POST
def send_test(request, page_id):
    letter = editable_letter(request, page_id)
    address = (request.user.email or "").strip()
    if not address:
        messages.error(
            request,
            "Your account has no email address, so no test was sent. Add one under "
            "Account → Profile and try again.",
        )
    elif suppression.is_suppressed(address):
        messages.error(
            request,
            f"No test was sent: {address} is on the suppression list, and the site sends it "
            "nothing.",
        )
    else:
        content = emails.letter_content(letter.get_latest_revision_as_object())
        enqueue([emails.test_message(content, address)])
        history.test_copy_sent(letter, request.user)
        messages.success(request, f"A test copy is on its way to {address}.")
    return redirect(PREVIEW, letter.pk)


urlpatterns = [
    path("newsletter/letter/<int:page_id>/email/", preview, name=PREVIEW),
    path("newsletter/letter/<int:page_id>/email/test/", send_test, name=SEND_TEST),
]
