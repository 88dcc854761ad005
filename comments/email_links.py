"""The links in our emails about replies: confirm an address, stop emails about a
discussion, stop a moderator's held-reply emails. Each asks on GET and acts on POST: mail
scanners follow links, and must not confirm or unsubscribe anyone."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from comments import notifications, targets, trust
from comments.models import ModeratorEmailPreference, ReaderEmail, Reply, ReplyPolicy


@require_http_methods(["GET", "POST"])
@csrf_protect
def confirm_email(request, token):
    """The link in a "published" email. GET asks; POST confirms (mail scanners follow links,
    and must not sign a reader up for follow-ups): the address is its owner's, and this
    browser proves it from now on (comments.trust)."""
    email = trust.address_from_confirmation(token)
    if email is None:
        raise Http404("This confirmation link is not valid or has expired.")
    if request.method == "GET":
        return TemplateResponse(
            request,
            "comments/message.html",
            {
                "title": "Confirm your email address?",
                "message": f"Confirm that {email} is yours: then you get the emails you asked "
                "for about the discussions you follow.",
                "confirm_label": "Confirm my address",
            },
        )
    record, _ = ReaderEmail.objects.get_or_create(email=email)
    if record.confirmed_at is None:
        record.confirmed_at = timezone.now()
        record.save(update_fields=["confirmed_at"])
    # The link named the reply that asked for follow-ups: its address's owner says yes.
    Reply.objects.filter(
        pk=trust.reply_from_confirmation(token), user_email__iexact=email, followup_pending=True
    ).update(followup=True, followup_pending=False)
    trusted_mode = ReplyPolicy.for_target(None, request).mode == ReplyPolicy.HOLD_UNTRUSTED
    response = TemplateResponse(
        request,
        "comments/message.html",
        {
            "title": "Thank you: your address is confirmed",
            "message": (
                "Your next replies sent from this browser with this address can appear "
                "without waiting for a moderator, as long as they follow the guidelines. "
                "Replying from another device? Open the link there too."
                if trusted_mode
                else "You will get the emails you asked for about the discussions you follow."
            ),
        },
    )
    trust.prove(response, email)
    return response


@require_http_methods(["GET", "POST"])
@csrf_protect
def unsubscribe(request, token):
    """Stop every email about one page's discussion for one address. GET asks, POST does
    it (mail scanners follow links). The token names one of the address's replies there;
    links sent before that named the address and the page."""
    try:
        data = signing.loads(token, salt=notifications.UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise Http404("This link is not valid.") from error
    if isinstance(data, dict):
        # Links sent until 30 November 2026 named the address and the page, not a reply: kept
        # on purpose, for stop links in mail already delivered must keep stopping mail; drop
        # this branch (and its test) after 31 May 2027, six months after the last was sent.
        # The oldest of them lack the page's type and name a registered page's pk (Wagtail
        # pages share one id sequence, so the pk alone is unambiguous).
        types = [data["t"]] if "t" in data else targets.content_types()
        replies = Reply.objects.filter(
            content_type__in=types, object_pk=data["p"], user_email__iexact=data["e"]
        )
    else:
        reply = Reply.objects.filter(pk=data).exclude(user_email="").first()
        replies = (
            Reply.objects.filter(
                content_type_id=reply.content_type_id,
                object_pk=reply.object_pk,
                user_email__iexact=reply.user_email,
            )
            if reply is not None
            else Reply.objects.none()  # erased since: nothing left to email
        )
    replies = replies.exclude(user_email="")
    first = replies.first()
    page = first.content_object if first is not None else None
    about = f"About “{page.title}”. " if page is not None else ""
    if request.method == "POST":
        replies.update(followup=False, followup_pending=False, notify_on_publish=False)
        return TemplateResponse(
            request,
            "comments/message.html",
            {
                "title": "You will get no more emails about this discussion",
                "message": f"{about}Replies you already sent stay as they are.",
            },
        )
    return TemplateResponse(
        request,
        "comments/message.html",
        {
            "title": "Stop emails about this discussion?",
            "message": f"{about}No more emails about new replies there, or about your own.",
            "confirm_label": "Stop these emails",
        },
    )


@require_http_methods(["GET", "POST"])
@csrf_protect
def moderator_mute(request, token):
    try:
        user_pk = signing.loads(token, salt=notifications.MODERATOR_MUTE_SALT)
    except signing.BadSignature as error:
        raise Http404("This link is not valid.") from error
    user = get_object_or_404(get_user_model(), pk=user_pk)
    if request.method == "POST":
        ModeratorEmailPreference.objects.update_or_create(user=user, defaults={"muted": True})
        return TemplateResponse(
            request,
            "comments/message.html",
            {
                "title": "No more held-reply emails",
                "message": "Held replies still wait for you in the admin under “Replies”.",
            },
        )
    return TemplateResponse(
        request,
        "comments/message.html",
        {
            "title": "Stop emails about held replies?",
            "confirm_label": "Stop these emails",
        },
    )
