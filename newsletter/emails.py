"""The newsletter's emails, each plain text with an HTML alternative whose styles are inlined
(css_inline), all sent through outbox:

- the confirmation email (the only email an address gets before it confirms), queued with
  `outbox.delivery.enqueue()` as the reader posts the form;
- an answer sent out (`issue_message`) and a column's weekly round-up (`roundup_message`,
  newsletter.roundup), each built by the delivery step (newsletter.sending) for one
  subscriber, with List-Unsubscribe and List-Unsubscribe-Post (RFC 8058);
- an answer's test copy for the editor (`test_message`), sent from the admin's preview.
"""

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from newsletter import cut, links
from newsletter.suppression import REQUESTED_HEADER
from outbox.delivery import enqueue

TEST_MARK = "[Test]"
TEST_HEADER = "X-Newsletter-Test"

_inliner = css_inline.CSSInliner(load_remote_stylesheets=False)


def inline(html):
    return _inliner.inline(html)


def build(subject, template, context, to, headers=None):
    text = render_to_string(f"newsletter/email/{template}.txt", context)
    html = inline(render_to_string(f"newsletter/email/{template}.html", context))
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(consent):
    context = {
        "consent": consent,
        "columns": ", ".join(column["title"] for column in consent.columns),
        "cadence": consent.get_cadence_display().lower(),
        "confirm_url": links.confirm_url(consent),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    return build(
        f"Please confirm your subscription to {settings.WAGTAIL_SITE_NAME}",
        "confirm",
        context,
        consent.address,
        # Asked for just now: it may reach an address that had only unsubscribed.
        headers={REQUESTED_HEADER: "confirmation"},
    )


def send_confirmation(consent):
    enqueue([confirmation_message(consent)])


def unsubscribe_headers(subscriber):
    url = links.unsubscribe_url(subscriber)
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def letter_content(letter):
    """What every subscriber's email of `letter` shares (rendered once per batch): the letter,
    and the answer whole or up to the editor's cut (newsletter.cut). `letter` may be a draft
    (the preview): its cut and related reading are then the draft's."""
    letter = letter.specific
    answer, was_cut = cut.cut_answer(letter.answer, cut.email_cut(letter))
    answer_html = str(answer.render_as_block()) if answer else ""
    related = []
    for item in letter.get_related_reading():
        page = item.get("page")
        url = page.get_full_url() if page is not None else item.get("url", "")
        related.append({"title": item["title"], "url": url, "summary": item.get("summary", "")})
    column = letter.get_parent().specific
    letter_html = expand_db_html(letter.letter or "")
    return {
        "letter": letter,
        "column": column,
        "salutation": letter.get_salutation(column),
        "letter_html": mark_safe(letter_html),
        "letter_text": cut.plain_text(letter_html),
        "answer_html": mark_safe(answer_html),
        "answer_text": cut.plain_text(answer_html),
        "cut": was_cut,
        "related": related,
        "read_on_url": letter.get_full_url(),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }


def issue_message(content, subscriber):
    headers = unsubscribe_headers(subscriber)
    context = {**content, "unsubscribe_url": headers["List-Unsubscribe"][1:-1]}
    return build(
        f"{content['column'].title}: {content['letter'].title}",
        "answer",
        context,
        subscriber.address,
        headers=headers,
    )


def test_message(content, to):
    """The email of `content` as subscribers get it, for the editor's own address: "[Test]"
    in its subject and a line saying so on top; no unsubscribe link or header (it belongs to
    no subscriber). Never an Issue or a Delivery."""
    context = {**content, "test_copy": True, "unsubscribe_url": ""}
    return build(
        f"{TEST_MARK} {content['column'].title}: {content['letter'].title}",
        "answer",
        context,
        to,
        headers={TEST_HEADER: "yes"},
    )


def preview_parts(content):
    """(subject, HTML, plain text) of the email of `content` as a subscriber gets it, for the
    admin's preview; the unsubscribe link, each subscriber's own, is not drawn."""
    context = {**content, "unsubscribe_url": ""}
    return (
        f"{content['column'].title}: {content['letter'].title}",
        inline(render_to_string("newsletter/email/answer.html", context)),
        render_to_string("newsletter/email/answer.txt", context),
    )


def roundup_message(content, subscriber):
    headers = unsubscribe_headers(subscriber)
    context = {**content, "unsubscribe_url": headers["List-Unsubscribe"][1:-1]}
    return build(content["title"], "roundup", context, subscriber.address, headers=headers)
