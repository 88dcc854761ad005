"""Reply views: posting (comments.posting does the work; this turns its outcome into a
response), the page that says what happened to a reply, replying to a reply without
JavaScript, and reporting. The links in our emails are comments.email_links.

Whatever goes wrong while posting, the reader gets a page that says why, with a status that
matches, and the form with everything they typed: a failing database included (503). A post
that cannot prove it came from this reader's form (no CSRF token, as from a page every reader
shares, or an "opened at" value that cannot post) is no error: the confirm step shows the
form again, everything kept, with a fresh token and value, and one more press of Send posts it.
"""

import logging

from django.core import signing
from django.db import DatabaseError, IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from comments import lifecycle, passes, targets, threads, trust
from comments.forms import ReplyForm, ReportForm
from comments.models import Reply, ReplyPolicy, ReplyStatus
from comments.moderation import is_staff
from comments.posting import Result, confirm_step, letter_gone, submit
from guard import ratelimit
from guard.addresses import address_hash, client_ip

POSTED_SALT = "comments.posted"
REPORTS_PER_HOUR = 20
RETRY_AFTER_SECONDS = 60
UNAVAILABLE_MESSAGE = (
    "We could not save your reply just now: something went wrong on our side. Your text is "
    "below: please send it again in a minute."
)

logger = logging.getLogger(__name__)


def _form_page(request, outcome):
    target = outcome.target
    return TemplateResponse(
        request,
        "comments/reply_form_page.html",
        {
            "form": outcome.form,
            "letter": target,
            "message": outcome.message,
            "parent": outcome.parent,
            "kept_text": outcome.kept_text,
            "confirm": outcome.result is Result.CONFIRM,
            # The form's note says how replies are moderated, as on the letter page.
            "policy": ReplyPolicy.for_target(target, request) if target is not None else None,
        },
        status=outcome.status,
    )


class _PostedPage:
    """Stands in for the page a reply was posted to when the database that would find it has
    failed: ReplyForm needs only its model label and pk ("app_label.modelname", "42") to render."""

    def __init__(self, data):
        self._meta = str(data.get("content_type", ""))
        self.pk = str(data.get("object_pk", ""))

    def _get_pk_val(self):
        return self.pk


def _unavailable_page(request):
    """503 with the reply form holding everything the reader typed, as posted (its signed
    timestamp stays valid for two hours): built from request.POST and rendered on the plain
    layout, so it needs no database query."""
    data = request.POST.copy()
    data.pop("csrfmiddlewaretoken", None)
    response = TemplateResponse(
        request,
        "comments/reply_unavailable.html",
        {
            "form": ReplyForm(_PostedPage(data), data=data).unchecked(),
            "message": UNAVAILABLE_MESSAGE,
        },
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@csrf_protect
@require_POST
def post_reply(request):
    try:
        outcome = submit(request)
    except DatabaseError:
        # Locked (SQLite's busy timeout ran out), unreachable or failing: nothing was stored,
        # the transaction rolled back. A repeat later is a duplicate only if it was stored.
        logger.exception("A reply could not be saved: the database failed")
        return _unavailable_page(request)
    if outcome.result in (Result.REFUSED, Result.CONFIRM):
        return _form_page(request, outcome)
    if outcome.stored is None:  # a duplicate of a reply that is gone since
        return redirect(outcome.target.get_absolute_url() + "#replies")
    response = redirect("comments-posted", token=signing.dumps(outcome.stored.pk, salt=POSTED_SALT))
    trust.remember_posted(request, response, outcome.stored)
    return response


def reply_csrf_failure(request, reason=""):
    """A reply posted with a missing or stale CSRF token (base.views.csrf_failure calls
    this), as every first send from a page every reader shares is without the script: the
    confirm step, with everything the reader typed, a fresh timestamp and security hash, a
    one-use "opened at" value and a fresh token (the template's csrf_token sets the cookie if
    it was missing). Nothing is stored."""
    data = request.POST.copy()
    try:
        target = targets.find(data.get("content_type"), data.get("object_pk"))
        if target is None:
            return _form_page(request, letter_gone(data))
        parent = _answered_reply(target, data.get("reply_to"))
    except DatabaseError:
        logger.exception("A reply's form could not be sent back: the database failed")
        return _unavailable_page(request)
    staff = is_staff(request.user)
    form = ReplyForm(target, data=data, staff=staff)
    return _form_page(request, confirm_step(target, form, parent, staff))


post_reply.csrf_failure = reply_csrf_failure


def _answered_reply(target, reply_to):
    """The reply `reply_to` names, if a reader can see it under `target` (posting checks it
    again when the form is sent)."""
    reply, page = threads.shown_reply(reply_to)
    return reply if page is not None and page == target else None


@never_cache
@require_http_methods(["GET"])
def reply_pass(request, token):
    """A private link (comments.passes): this browser may now reply under the page with the
    pass's badge. The form is right here, with the address the pass is bound to."""
    found = passes.read(token)
    page = targets.find(found["t"], found["p"]) if found else None
    if page is None:
        raise Http404("This link is not valid, has expired, or its letter is not published.")
    form = ReplyForm(page, initial={"email": found["e"], "name": found.get("n", "")})
    badge = passes.BADGES[found["b"]]
    response = TemplateResponse(
        request,
        "comments/reply_form_page.html",
        {
            "form": form,
            "letter": page,
            "notice": f"You are replying as the {badge.lower()}: your reply carries the "
            f"“{badge}” badge, with this email address, and a moderator reads it before it "
            "appears. You can also reply from the letter’s page in this browser.",
            "policy": ReplyPolicy.for_target(page, request),
        },
    )
    passes.remember(response, token)
    return response


def reply_posted(request, token):
    """What happened to the reply just sent, for the browser that sent it only (its signed
    cookie lists the reply). Its text is shown only while it waits for a moderator: the
    page must never show readers what moderators have not let through, or kept out."""
    try:
        pk = signing.loads(token, salt=POSTED_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature as error:
        raise Http404("This link has expired.") from error
    if pk not in trust.posted_by_this_browser(request):
        raise Http404("This page is shown only in the browser the reply was sent from.")
    reply = get_object_or_404(Reply, pk=pk, content_type__in=targets.content_types())
    return TemplateResponse(
        request, "comments/posted.html", {"reply": reply, "letter": reply.content_object}
    )


@never_cache
@require_http_methods(["GET"])
def reply_fresh(request):
    """What a reply form on a page every reader shares (and caches keep) cannot carry: a CSRF
    token (set in this browser's cookie too), a fresh signed time with its security hash, and
    a one-use "opened at" value, so the typing time counts from now and the value posts one
    reply. The letter page's script asks when the reader first enters the form
    (static/js/replies.js). No query: the post checks the page itself."""
    content_type = request.GET.get("content_type", "")
    object_pk = request.GET.get("object_pk", "")
    if not (0 < len(content_type) <= 100 and object_pk.isdigit() and len(object_pk) <= 20):
        return JsonResponse({"error": "content_type and object_pk are required"}, status=400)
    page = _PostedPage({"content_type": content_type, "object_pk": object_pk})
    security = ReplyForm(page).generate_security_data()
    return JsonResponse(
        {
            "csrfmiddlewaretoken": get_token(request),
            "timestamp": security["timestamp"],
            "security_hash": security["security_hash"],
            "opened": security["opened"],
        }
    )


@never_cache
@require_http_methods(["GET"])
def own_held_replies(request, page_id):
    """A fragment for the letter page's script: the replies this browser sent to this page
    that still wait for a moderator, marked so. Never cached, never shown to another browser;
    empty (204) when there are none."""
    held = list(
        Reply.objects.filter(
            pk__in=trust.posted_by_this_browser(request),
            object_pk=str(page_id),
            content_type__in=targets.content_types(),
            status=ReplyStatus.PENDING,
        ).order_by("submit_date")
    )
    if not held:
        return HttpResponse(status=204)
    return TemplateResponse(request, "comments/own_replies.html", {"replies": held})


def _shown_reply(reply_id):
    """A reply a reader can see on its page (threads.shown_reply), with the page, or 404."""
    reply, page = threads.shown_reply(reply_id)
    if reply is None:
        raise Http404("No such reply is shown.")
    return reply, page


def reply_permalink(request, reply_id):
    """A reply's own address (Reply.get_absolute_url: the links in emails): the page of
    threads that shows it, at its anchor. A letter shows its threads a page at a time and a
    thread's page can move (a thread picked or removed before it), so the page is found when
    the link is followed, not when it was written."""
    reply, page = _shown_reply(reply_id)
    return redirect(_shown_at(request, reply, page))


def _shown_at(request, reply, page):
    """The address of the page of threads showing `reply` (a shown one), at its anchor."""
    per_page = ReplyPolicy.for_target(page, request).threads_per_page
    number = threads.replies_page_of(page, reply, per_page)
    query = f"?replies={number}" if number > 1 else ""
    return f"{page.get_absolute_url()}{query}#reply-{reply.pk}"


def reply_to(request, reply_id):
    """The form under one reply, for readers without JavaScript."""
    parent, page = _shown_reply(reply_id)
    if not parent.allow_thread():
        return redirect(_shown_at(request, parent, page))
    policy = ReplyPolicy.for_target(page, request)
    message = targets.closed_reason(page, policy)
    return TemplateResponse(
        request,
        "comments/reply_form_page.html",
        {
            "form": ReplyForm(page, comment=parent),
            "letter": page,
            "message": message,
            "parent": parent,
            "policy": policy,
        },
        status=403 if message else 200,
    )


@csrf_protect
@require_http_methods(["GET", "POST"])
def report_reply(request, reply_id):
    reply, page = _shown_reply(reply_id)
    context = {"reply": reply, "letter": page}
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reporter = address_hash(client_ip(request))
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
            threshold = ReplyPolicy.for_target(page, request).report_threshold
            # Reports a moderator already acted on do not count again.
            open_reports = reply.reports.filter(resolved_at__isnull=True).count()
            if threshold and open_reports >= threshold:
                lifecycle.reported(reply, open_reports)
        context["done"] = True
        return TemplateResponse(request, "comments/report.html", context)
    context["form"] = form
    return TemplateResponse(
        request, "comments/report.html", context, status=400 if form.errors else 200
    )


def report_csrf_failure(request, reason=""):
    """A report posted with a missing or stale CSRF token (base.views.csrf_failure calls
    this): the confirm step, with the reader's choice and note kept and a fresh token (the
    template's csrf_token sets the cookie if it was missing). Nothing is stored."""
    reply, page = _shown_reply(request.resolver_match.kwargs.get("reply_id"))
    data = request.POST.copy()
    data.pop("csrfmiddlewaretoken", None)
    return TemplateResponse(
        request,
        "comments/report.html",
        {"reply": reply, "letter": page, "form": ReportForm(data), "confirm": True},
    )


report_reply.csrf_failure = report_csrf_failure
