"""The reader's side of the newsletter: the subscribe form's post (through newsletter.posting)
and its one answer page, the confirmation link's page, the unsubscribe link's page.

- Subscribing answers the same "Check your inbox" page whatever the address's state (never
  whether it was subscribed); refusals show the form again, everything typed kept, with a
  status that says why; a missing or stale CSRF token (the form on a page kept for every
  reader) is the confirm step: the form again, kept, with a token and a one-use value.
- A confirmation link opens a page with a Confirm button; only its POST confirms (mail
  scanners follow links). A forged or expired link gets a page offering to subscribe again.
- An unsubscribe link shows a button on GET; a POST unsubscribes, with no cookie and no CSRF
  token (RFC 8058 one-click: the signature is the proof).
"""

import logging

from django.core import signing
from django.db import DatabaseError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from advice.models import AdviceIndexPage
from newsletter import suppression
from newsletter.forms import SubscribeForm
from newsletter.links import read_confirm_token, read_unsubscribe_token
from newsletter.models import Consent, Subscriber, Subscription, SuppressedAddress
from newsletter.posting import Result, submit

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = (
    "We could not take your subscription just now: something went wrong on our side. Please "
    "try again in a few minutes."
)


def form_page(request, form, message="", status=200, confirm=False):
    return TemplateResponse(
        request,
        "newsletter/subscribe_page.html",
        {"form": form, "message": message, "confirm": confirm},
        status=status,
    )


@csrf_protect
@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "GET":
        return form_page(request, SubscribeForm())
    try:
        outcome = submit(request)
    except DatabaseError:
        logger.exception("A subscription could not be saved: the database failed")
        return form_page(
            request, SubscribeForm(data=request.POST).fresh(), UNAVAILABLE_MESSAGE, 503
        )
    if outcome.result is Result.CONFIRM:
        return form_page(request, outcome.form, confirm=True)
    if outcome.result is Result.REFUSED:
        return form_page(request, outcome.form, outcome.message, outcome.status)
    return redirect("newsletter-sent")  # stored or a repeat: the same answer either way


def subscribe_csrf_failure(request, reason=""):
    """base.views.csrf_failure calls this: the confirm step, nothing stored."""
    return form_page(request, SubscribeForm(data=request.POST).fresh(), confirm=True)


subscribe.csrf_failure = subscribe_csrf_failure


def sent(request):
    return TemplateResponse(request, "newsletter/sent.html", {})


def _consent(token):
    """(consent or None, problem): problem is "expired" or "invalid" when there is none."""
    try:
        consent_id = read_confirm_token(token)
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    consent = Consent.objects.select_related("subscriber").filter(pk=consent_id).first()
    return consent, (None if consent else "invalid")


@csrf_protect
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    consent, problem = _consent(token)
    if problem:
        return TemplateResponse(
            request,
            "newsletter/confirm.html",
            {"problem": problem, "form": SubscribeForm()},
            status=400 if problem == "invalid" else 410,
        )
    done = consent.confirmed_at is not None
    if request.method == "POST" and not done:
        confirm_consent(consent)
        done = True
    return TemplateResponse(
        request,
        "newsletter/confirm.html",
        {"consent": consent, "done": done, "columns": [c["title"] for c in consent.columns]},
    )


def confirm_consent(consent):
    """The reader pressed Confirm: their address, columns and cadence become the subscriber's
    (replacing what it had), and their own unsubscribe is lifted."""
    with transaction.atomic():
        now = timezone.now()
        subscriber = Subscriber.objects.select_for_update().get(pk=consent.subscriber_id)
        subscriber.address = consent.address
        subscriber.state = Subscriber.State.ACTIVE
        subscriber.confirmed_at = now
        subscriber.save()
        columns = AdviceIndexPage.objects.filter(pk__in=[c["id"] for c in consent.columns])
        subscriber.subscriptions.all().delete()
        Subscription.objects.bulk_create(
            Subscription(subscriber=subscriber, column=column, cadence=consent.cadence)
            for column in columns
        )
        consent.confirmed_at = now
        consent.save(update_fields=["confirmed_at"])
        suppression.lift(consent.address)


def unsubscribe_subscriber(subscriber):
    with transaction.atomic():
        Subscriber.objects.filter(pk=subscriber.pk).update(state=Subscriber.State.UNSUBSCRIBED)
        subscriber.subscriptions.all().delete()
        suppression.suppress(subscriber.address, SuppressedAddress.Reason.UNSUBSCRIBED)


@csrf_exempt  # RFC 8058: mail providers POST here with no cookie and no token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        subscriber_id, key = read_unsubscribe_token(token)
    except signing.BadSignature:
        return TemplateResponse(
            request, "newsletter/unsubscribe.html", {"invalid": True}, status=400
        )
    subscriber = Subscriber.objects.filter(pk=subscriber_id, key=key).first()
    done = False
    if request.method == "POST":
        if subscriber is not None:
            unsubscribe_subscriber(subscriber)
        done = True  # a subscriber erased since: nothing left to stop
    return TemplateResponse(
        request,
        "newsletter/unsubscribe.html",
        {"done": done, "token": token},
    )
