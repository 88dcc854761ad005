"""Reply views: posting (wrapping django_comments' post_comment), the page that says what
happened to a reply, replying to a reply without JavaScript, reporting, and the links in our
emails (confirm an address, stop emails).

Whatever goes wrong while posting, the reader gets a page that says why, with a status that
matches, and the form with everything they typed (never django_comments' bare 400).
"""

import datetime
import time

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST
from django_comments.views.comments import post_comment
from django_comments_xtd.signals import confirmation_received

from comments import notifications, ratelimit
from comments.forms import ReplyForm, ReportForm
from comments.models import (
    BlockedSender,
    ModeratorEmailPreference,
    ReaderEmail,
    Reply,
    ReplyStatus,
    address_hash,
)
from comments.moderation import is_staff, policy_for, replies_closed_reason

# Faster than a person can read a letter and type a reply: such posts come from scripts.
MIN_SECONDS_TO_TYPE = 3
POSTED_SALT = "comments.posted"
REPORTS_PER_HOUR = 20
MAX_PK = 2**63 - 1  # the largest integer SQLite and PostgreSQL (bigint) store


def _target(data):
    """The live letter a posted form points at, or None."""
    from advice.models import LetterPage

    if data.get("content_type") != "advice.letterpage":
        return None
    try:
        pk = int(data.get("object_pk", ""))
    except ValueError:
        return None
    if not 0 < pk <= MAX_PK:  # a larger number overflows the database's integer: a 500
        return None
    return LetterPage.objects.live().public().filter(pk=pk).first()


def _form_page(request, form, page, status, message="", parent=None):
    return TemplateResponse(
        request,
        "comments/reply_form_page.html",
        {"form": form, "letter": page, "message": message, "parent": parent},
        status=status,
    )


def _refreshed(form_class, page, data):
    """The reader's data with a fresh timestamp and security hash: they can send it again."""
    fresh = data.copy()
    fresh.update(form_class(page).generate_security_data())
    return form_class(page, data=fresh)


def _as_reply_to_letter(page, data):
    """The reader's data as a reply to the letter itself: what the form offers when the reply
    they answered cannot take it (sending the same reply_to again would fail again)."""
    fresh = data.copy()
    fresh["reply_to"] = "0"
    return ReplyForm(page, data=fresh)


def _remember_posted_reply(sender, comment, request, **kwargs):
    request.posted_reply = comment.xtd_comment


confirmation_received.connect(_remember_posted_reply, dispatch_uid="remember-posted-reply")


DUPLICATE_WINDOW = datetime.timedelta(minutes=10)


def _same_reply_just_posted(page, data, parent):
    """The reply this post repeats, if the same address sent the same text to the same place
    in the last few minutes (django_comments' own duplicate check never matches under xtd)."""
    return (
        Reply.objects.filter(
            content_type=ContentType.objects.get_for_model(page),
            object_pk=str(page.pk),
            user_email__iexact=data["email"],
            comment=data["comment"],
            submit_date__gte=timezone.now() - DUPLICATE_WINDOW,
        )
        .filter(**({"parent_id": parent.pk, "level__gt": 0} if parent else {"level": 0}))
        .order_by("-pk")
        .first()
    )


@csrf_protect
@require_POST
def post_reply(request):
    data = request.POST.copy()
    page = _target(data)
    text = data.get("comment", "")
    if page is None:
        return TemplateResponse(
            request,
            "comments/reply_form_page.html",
            {
                "letter": None,
                "kept_text": text,
                "message": "We could not find the letter you replied to: it may have been "
                "unpublished. Your text is below so you can keep it.",
            },
            status=404,
        )
    form = ReplyForm(page, data=data)
    policy = policy_for(request, page)
    closed = replies_closed_reason(page, policy)
    if closed:
        return _form_page(
            request, form, page, 403, closed + " Your text is below so you can keep it."
        )
    if form.security_errors():
        if "honeypot" in form.security_errors():
            return _form_page(
                request,
                _refreshed(ReplyForm, page, data),
                page,
                400,
                "Please leave the last field empty and send again.",
            )
        return _form_page(
            request,
            _refreshed(ReplyForm, page, data),
            page,
            400,
            "This form had expired or was changed on its way to us. Your reply is still "
            "here: please check it and send it again.",
        )
    if not form.is_valid():
        if "reply_to" in form.errors:  # missing or garbled: a changed form, not a typo
            return _form_page(
                request,
                _as_reply_to_letter(page, data),
                page,
                400,
                "We could not tell which reply you answered. Your text is kept: you can send "
                "it as a reply to the letter instead.",
            )
        return _form_page(request, form, page, 400, "Please correct the marked fields.")
    parent = None
    if form.cleaned_data["reply_to"]:
        parent = Reply.objects.filter(
            pk=form.cleaned_data["reply_to"],
            status=ReplyStatus.APPROVED,
            content_type=ContentType.objects.get_for_model(page),
            object_pk=str(page.pk),
        ).first()
        if parent is None or not parent.allow_thread():
            return _form_page(
                request,
                _as_reply_to_letter(page, data),
                page,
                400,
                "The reply you answered is no longer shown, or its thread cannot go deeper. "
                "Your text is kept: you can send it as a reply to the letter instead.",
            )
    too_fast = time.time() - form.cleaned_data["timestamp"] < MIN_SECONDS_TO_TYPE
    if too_fast and not is_staff(request.user):
        return _form_page(
            request,
            _refreshed(ReplyForm, page, data),
            page,
            400,
            "That was quicker than anyone can type. If you are a person, please check your "
            "reply and send it again.",
        )
    duplicate = _same_reply_just_posted(page, form.cleaned_data, parent)
    if duplicate is not None:  # sent twice (a double click, or back and send again)
        return redirect("comments-posted", token=signing.dumps(duplicate.pk, salt=POSTED_SALT))
    limit = ratelimit.check(request, form.cleaned_data["email"])
    if limit is not None:
        minutes = max(1, limit.window_seconds // 60)
        return _form_page(
            request,
            form,
            page,
            429,
            f"You have sent a lot of replies in a short time (the limit is {limit.count} "
            f"in {minutes} minutes). Please wait a little and send this one again: your text "
            "is kept below.",
        )
    block = BlockedSender.match(form.cleaned_data["email"], ratelimit.client_address(request))
    if block is not None and block.action == BlockedSender.REFUSE and not is_staff(request.user):
        return _form_page(
            request,
            form,
            page,
            403,
            "We cannot accept replies from this address. If you think this is a mistake, "
            "please write to the editors. Your text is below so you can keep it.",
        )

    response = post_comment(request, next=page.url)
    reply = getattr(request, "posted_reply", None)
    if response.status_code != 302 or reply is None:  # a moderation receiver refused it
        return _form_page(request, form, page, 403, "Replies to this letter are closed.")
    address = ratelimit.client_address(request)
    if address and address != reply.ip_address:  # behind a trusted proxy
        Reply.objects.filter(pk=reply.pk).update(ip_address=address)
    token = signing.dumps(reply.pk, salt=POSTED_SALT)
    return redirect("comments-posted", token=token)


def reply_posted(request, token):
    """What happened to the reply just sent: shown only to whoever holds the signed link."""
    try:
        pk = signing.loads(token, salt=POSTED_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature as error:
        raise Http404("This link has expired.") from error
    reply = get_object_or_404(Reply, pk=pk)
    return TemplateResponse(
        request, "comments/posted.html", {"reply": reply, "letter": reply.content_object}
    )


def reply_to(request, reply_id):
    """The form under one reply, for readers without JavaScript."""
    parent = get_object_or_404(Reply, pk=reply_id, status=ReplyStatus.APPROVED)
    page = parent.content_object
    if not page.live:
        raise Http404
    if not parent.allow_thread():
        return redirect(page.url + f"#reply-{parent.pk}")
    form = ReplyForm(page, comment=parent)
    message = replies_closed_reason(page, policy_for(request, page))
    return _form_page(request, form, page, 403 if message else 200, message, parent=parent)


@csrf_protect
@require_http_methods(["GET", "POST"])
def report_reply(request, reply_id):
    reply = get_object_or_404(Reply, pk=reply_id, status=ReplyStatus.APPROVED)
    context = {"reply": reply, "letter": reply.content_object}
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reporter = address_hash(ratelimit.client_ip(request))
        if ratelimit.hit(f"report:{reporter}", 3600) > REPORTS_PER_HOUR:
            context.update(
                form=form,
                message="You have sent many reports in the last hour. Please try again later.",
            )
            return TemplateResponse(request, "comments/report.html", context, status=429)
        try:
            with transaction.atomic():
                form.instance.reply = reply
                form.instance.reporter_hash = reporter
                form.save()
        except IntegrityError:
            context["already_reported"] = True
        else:
            threshold = policy_for(request, reply.content_object).report_threshold
            # Reports a moderator already acted on do not count again.
            open_reports = reply.reports.filter(resolved_at__isnull=True).count()
            if threshold and open_reports >= threshold:
                reply.status = ReplyStatus.PENDING
                reply.hold_reason = f"reported by {open_reports} readers"
                reply.save()
                notifications.notify_moderators([reply])
        context["done"] = True
        return TemplateResponse(request, "comments/report.html", context)
    context["form"] = form
    return TemplateResponse(
        request, "comments/report.html", context, status=400 if form.errors else 200
    )


def confirm_email(request, token):
    try:
        email = signing.loads(token, salt=notifications.CONFIRM_SALT, max_age=60 * 60 * 24 * 60)
    except signing.BadSignature as error:
        raise Http404("This confirmation link is not valid or has expired.") from error
    record, _ = ReaderEmail.objects.get_or_create(email=email)
    if record.confirmed_at is None:
        record.confirmed_at = timezone.now()
        record.save(update_fields=["confirmed_at"])
    return TemplateResponse(
        request,
        "comments/message.html",
        {
            "title": "Thank you: your address is confirmed",
            "message": "Your next replies can appear without waiting for a moderator, as long as "
            "they follow the guidelines.",
        },
    )


@require_http_methods(["GET", "POST"])
@csrf_protect
def unsubscribe(request, token):
    """Stop every email about one letter's discussion for one address. GET asks, POST does
    it (mail scanners follow links)."""
    try:
        data = signing.loads(token, salt=notifications.UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise Http404("This link is not valid.") from error
    if request.method == "POST":
        from advice.models import LetterPage

        Reply.objects.filter(
            content_type=ContentType.objects.get_for_model(LetterPage),
            object_pk=data["p"],
            user_email__iexact=data["e"],
        ).update(followup=False, notify_on_publish=False)
        return TemplateResponse(
            request,
            "comments/message.html",
            {
                "title": "You will get no more emails about this discussion",
                "message": "Replies you already sent stay as they are.",
            },
        )
    return TemplateResponse(
        request,
        "comments/message.html",
        {
            "title": "Stop emails about this discussion?",
            "confirm_label": "Stop these emails",
        },
    )


@require_http_methods(["GET", "POST"])
@csrf_protect
def moderator_mute(request, token):
    from django.contrib.auth import get_user_model

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
                "message": "Held replies still wait for you in the admin under “Reader replies”.",
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
