"""Every change of a reader letter's status goes through `change()`: it saves, stamps the
time and writes Wagtail's audit log (never the writer's address). The emails writers get
(a kind "no", the "answered" email with their private reply link) are queued from here
(outbox), each at most once.

    new ──shortlist──▶ shortlisted ──(draft published)──▶ answered
     └────────────────┴──decline──▶ declined ──(mailbag_cleanup, after N days)──▶ deleted
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Site

from comments import passes
from guard.links import without_outside_addresses
from guard.text import clean_name, one_line
from mailbag.models import MailbagSettings, Submission, SubmissionStatus, retention_days
from outbox.delivery import enqueue

ACTIONS = {
    SubmissionStatus.NEW: "mailbag.new",
    SubmissionStatus.SHORTLISTED: "mailbag.shortlist",
    SubmissionStatus.ANSWERED: "mailbag.answered",
    SubmissionStatus.DECLINED: "mailbag.decline",
}


def change(submission, status, user=None, **data):
    """Move `submission` to `status` (saved and logged); False when it was there already."""
    if submission.status == status:
        return False
    submission.status = status
    submission.status_changed_at = timezone.now()
    submission.save(update_fields=["status", "status_changed_at"])
    log(instance=submission, action=ACTIONS[status], user=user, data=data or None)
    return True


def _settings_for(submission):
    page = submission.column or submission.page
    site = page.get_site() if page is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    return MailbagSettings.for_site(site)


def _fill(template, submission):
    column = submission.column.title if submission.column else "the column"
    values = {"pen_name": submission.pen_name, "column": column}
    text = template
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def _send(subject, body, address):
    """Queue one email (outbox): the request never waits for the mail server."""
    enqueue([EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])])


def decline(submission, user, send_email=False):
    """Decline a letter; with `send_email`, the kind email (once, while the address is kept)."""
    changed = change(submission, SubmissionStatus.DECLINED, user)
    if send_email and submission.email and submission.decline_emailed_at is None:
        claimed = Submission.objects.filter(
            pk=submission.pk, decline_emailed_at__isnull=True
        ).update(decline_emailed_at=timezone.now())
        if claimed:
            setting = _settings_for(submission)
            # The settings form refuses outside links; a pen name (the reader's) or text
            # stored before that check may still hold one, and it is not sent.
            host = setting.site.hostname
            subject = " ".join(_fill(setting.decline_subject, submission).split())
            body = _fill(setting.decline_body, submission)
            _send(
                without_outside_addresses(subject, host),
                without_outside_addresses(body, host),
                submission.email,
            )
            log(instance=submission, action="mailbag.decline_emailed", user=user)
    return changed


def letter_published(page):
    """The draft letter made from a submission was published: the submission is answered and
    its writer is told (once, and only if they asked)."""
    submission = Submission.objects.filter(draft=page).select_related("column").first()
    if submission is None:
        return None
    change(submission, SubmissionStatus.ANSWERED, page_id=page.pk)
    if not tell_writer(submission, page) and not submission.notify_on_answer:
        # Nothing more to write to them about: the address goes at once.
        if submission.email:
            erase_email(submission, reason="answered; the writer did not ask to be told")
    return submission


def tell_writer(submission, page):
    if not (submission.notify_on_answer and submission.email):
        return False
    # The claim is one UPDATE: a second publication (or a second process) finds it taken.
    claimed = Submission.objects.filter(pk=submission.pk, writer_told_at__isnull=True).update(
        writer_told_at=timezone.now()
    )
    if not claimed:
        return False
    setting = _settings_for(submission)
    context = {
        # Cleaned here, whatever the row holds (the form cleans too; older or imported rows
        # need not have passed it): the template prints them with escaping off.
        "pen_name": without_outside_addresses(
            clean_name(submission.pen_name), setting.site.hostname
        ),
        "column": one_line(
            submission.column.title if submission.column else page.get_parent().title
        ),
        "letter_url": page.get_full_url(),
        "pass_url": passes.url(page, submission.email, "writer", name=submission.pen_name),
        "pass_days": passes.MAX_AGE // (24 * 60 * 60),
    }
    subject = " ".join(_fill(setting.answered_subject, submission).split())
    _send(subject, render_to_string("mailbag/email/answered.txt", context), submission.email)
    log(instance=submission, action="mailbag.writer_told")
    return True


def erase_email(submission, user=None, reason="cleanup"):
    Submission.objects.filter(pk=submission.pk).update(email="", email_erased_at=timezone.now())
    log(instance=submission, action="mailbag.email_erased", user=user, data={"reason": reason})


def cleanup(now=None, days=None):
    """Delete declined letters older than the retention period; erase the addresses of
    answered letters whose writers were told (or did not ask). Returns (deleted, erased)."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    cutoff = now - datetime.timedelta(days=days)
    with transaction.atomic():
        old = Submission.objects.filter(
            status=SubmissionStatus.DECLINED, status_changed_at__lt=cutoff
        )
        for submission in old:
            log(instance=submission, action="mailbag.deleted", data={"reason": "cleanup"})
        deleted = old.delete()[0]
        served = (
            Submission.objects.filter(status=SubmissionStatus.ANSWERED)
            .exclude(email="")
            .filter(_told_or_not_asked())
        )
        erased = 0
        for submission in served:
            erase_email(submission)
            erased += 1
    return deleted, erased


def _told_or_not_asked():
    return Q(notify_on_answer=False) | Q(writer_told_at__isnull=False)


ERASE_LETTERS = "mailbag.delete_submission"
LETTERS_NOT_SEARCHED = (
    "reader letters were not searched: erasing them needs the inbox’s “Can delete reader "
    "letter” permission"
)


def erase_reader(email, user=None):
    """A reader's erasure request: letters not answered are deleted; answered ones (the letter
    is published as the column's own text) keep no address. Returns a phrase for the desk.

    Only for a user who may delete reader letters (or none: a command). Anyone else, say a
    reply moderator on the desk, is told the same phrase whatever the address wrote: the
    desk's erasure must not tell them that an address wrote to the column, nor delete it."""
    if user is not None and not (user.is_active and user.has_perm(ERASE_LETTERS)):
        return LETTERS_NOT_SEARCHED
    email = (email or "").strip().lower()
    if not email:
        return ""
    mine = Submission.objects.filter(email__iexact=email)
    deleted = erased = 0
    for submission in mine:
        if submission.status == SubmissionStatus.ANSWERED:
            erase_email(submission, user, reason="erasure request")
            erased += 1
        else:
            log(
                instance=submission, action="mailbag.deleted", user=user, data={"reason": "erasure"}
            )
            submission.delete()
            deleted += 1
    parts = []
    if deleted:
        parts.append(f"{deleted} reader letter{'s' if deleted != 1 else ''} deleted")
    if erased:
        parts.append(
            f"the address removed from {erased} answered letter{'s' if erased != 1 else ''}"
        )
    return " and ".join(parts)
