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
from mailbag.models import MailbagSettings, ReaderLetter, ReaderLetterStatus, retention_days
from outbox.delivery import enqueue

ACTIONS = {
    ReaderLetterStatus.NEW: "mailbag.new",
    ReaderLetterStatus.SHORTLISTED: "mailbag.shortlist",
    ReaderLetterStatus.ANSWERED: "mailbag.answered",
    ReaderLetterStatus.DECLINED: "mailbag.decline",
}


def change(reader_letter, status, user=None, **data):
    """Move `reader_letter` to `status` (saved and logged); False when it was there already."""
    if reader_letter.status == status:
        return False
    reader_letter.status = status
    reader_letter.status_changed_at = timezone.now()
    reader_letter.save(update_fields=["status", "status_changed_at"])
    log(instance=reader_letter, action=ACTIONS[status], user=user, data=data or None)
    return True


def _settings_for(reader_letter):
    page = reader_letter.column or reader_letter.page
    site = page.get_site() if page is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    return MailbagSettings.for_site(site)


def _fill(template, reader_letter):
    column = reader_letter.column.title if reader_letter.column else "the column"
    values = {"pen_name": reader_letter.pen_name, "column": column}
    text = template
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def _send(subject, body, address):
    """Queue one email (outbox): the request never waits for the mail server."""
    enqueue([EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])])


def decline(reader_letter, user, send_email=False):
    """Decline a letter; with `send_email`, the kind email (once, while the address is kept)."""
    changed = change(reader_letter, ReaderLetterStatus.DECLINED, user)
    if send_email and reader_letter.email and reader_letter.decline_emailed_at is None:
        claimed = ReaderLetter.objects.filter(
            pk=reader_letter.pk, decline_emailed_at__isnull=True
        ).update(decline_emailed_at=timezone.now())
        if claimed:
            setting = _settings_for(reader_letter)
            # The settings form refuses outside links; a pen name (the reader's) or text
            # stored before that check may still hold one, and it is not sent.
            host = setting.site.hostname
            subject = " ".join(_fill(setting.decline_subject, reader_letter).split())
            body = _fill(setting.decline_body, reader_letter)
            _send(
                without_outside_addresses(subject, host),
                without_outside_addresses(body, host),
                reader_letter.email,
            )
            log(instance=reader_letter, action="mailbag.decline_emailed", user=user)
    return changed


def letter_published(page):
    """The draft letter made from a reader letter was published: the reader letter is answered
    and its writer is told (once, and only if they asked)."""
    reader_letter = ReaderLetter.objects.filter(draft=page).select_related("column").first()
    if reader_letter is None:
        return None
    change(reader_letter, ReaderLetterStatus.ANSWERED, page_id=page.pk)
    if not tell_writer(reader_letter, page) and not reader_letter.notify_on_answer:
        # Nothing more to write to them about: the address goes at once.
        if reader_letter.email:
            erase_email(reader_letter, reason="answered; the writer did not ask to be told")
    return reader_letter


def tell_writer(reader_letter, page):
    if not (reader_letter.notify_on_answer and reader_letter.email):
        return False
    # The claim is one UPDATE: a second publication (or a second process) finds it taken.
    claimed = ReaderLetter.objects.filter(pk=reader_letter.pk, writer_told_at__isnull=True).update(
        writer_told_at=timezone.now()
    )
    if not claimed:
        return False
    setting = _settings_for(reader_letter)
    context = {
        # Cleaned here, whatever the row holds (the form cleans too; older or imported rows
        # need not have passed it): the template prints them with escaping off.
        "pen_name": without_outside_addresses(
            clean_name(reader_letter.pen_name), setting.site.hostname
        ),
        "column": one_line(
            reader_letter.column.title if reader_letter.column else page.get_parent().title
        ),
        "letter_url": page.get_full_url(),
        "pass_url": passes.url(page, reader_letter.email, "writer", name=reader_letter.pen_name),
        "pass_days": passes.MAX_AGE // (24 * 60 * 60),
    }
    subject = " ".join(_fill(setting.answered_subject, reader_letter).split())
    _send(subject, render_to_string("mailbag/email/answered.txt", context), reader_letter.email)
    log(instance=reader_letter, action="mailbag.writer_told")
    return True


def erase_email(reader_letter, user=None, reason="cleanup"):
    ReaderLetter.objects.filter(pk=reader_letter.pk).update(
        email="", email_erased_at=timezone.now()
    )
    log(instance=reader_letter, action="mailbag.email_erased", user=user, data={"reason": reason})


def cleanup(now=None, days=None):
    """Delete declined letters older than the retention period; erase the addresses of
    answered letters whose writers were told (or did not ask). Returns (deleted, erased)."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    cutoff = now - datetime.timedelta(days=days)
    with transaction.atomic():
        old = ReaderLetter.objects.filter(
            status=ReaderLetterStatus.DECLINED, status_changed_at__lt=cutoff
        )
        for reader_letter in old:
            log(instance=reader_letter, action="mailbag.deleted", data={"reason": "cleanup"})
        deleted = old.delete()[0]
        served = (
            ReaderLetter.objects.filter(status=ReaderLetterStatus.ANSWERED)
            .exclude(email="")
            .filter(_told_or_not_asked())
        )
        erased = 0
        for reader_letter in served:
            erase_email(reader_letter)
            erased += 1
    return deleted, erased


def _told_or_not_asked():
    return Q(notify_on_answer=False) | Q(writer_told_at__isnull=False)


ERASE_LETTERS = "mailbag.delete_readerletter"
LETTERS_NOT_SEARCHED = (
    "reader letters were not searched: erasing them needs the “Can delete reader letter” permission"
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
    mine = ReaderLetter.objects.filter(email__iexact=email)
    deleted = erased = 0
    for reader_letter in mine:
        if reader_letter.status == ReaderLetterStatus.ANSWERED:
            erase_email(reader_letter, user, reason="erasure request")
            erased += 1
        else:
            log(
                instance=reader_letter,
                action="mailbag.deleted",
                user=user,
                data={"reason": "erasure"},
            )
            reader_letter.delete()
            deleted += 1
    parts = []
    if deleted:
        parts.append(f"{deleted} reader letter{'s' if deleted != 1 else ''} deleted")
    if erased:
        parts.append(
            f"the address removed from {erased} answered letter{'s' if erased != 1 else ''}"
        )
    return " and ".join(parts)


def export_reader(email, user=None):
    """The reader letters `email` sent, as they were sent, for the reader's copy of their data
    (comments.export); for a user who may not view reader letters, a note instead: the copy
    must not tell them whether the address wrote in."""
    if user is not None and not (user.is_active and user.has_perm("mailbag.view_readerletter")):
        return {"not_searched": "you may not view reader letters"}
    email = (email or "").strip().lower()
    return (
        [
            {
                "sent_at": reader_letter.submitted_at.isoformat(),
                "pen_name": reader_letter.pen_name,
                "letter": reader_letter.letter,
                "email": reader_letter.email,
                "column": reader_letter.column.title if reader_letter.column else None,
                "topic": reader_letter.topic.name if reader_letter.topic else None,
                "asked_to_be_told_when_answered": reader_letter.notify_on_answer,
                "agreed_to_publication": reader_letter.consent,
                "status": reader_letter.get_status_display(),
            }
            for reader_letter in ReaderLetter.objects.filter(email__iexact=email)
            .select_related("column", "topic")
            .order_by("submitted_at")
        ]
        if email
        else []
    )
