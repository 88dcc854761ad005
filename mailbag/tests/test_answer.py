"""From a reader's letter to a published answer: the draft is made once under the right
column, filled from the letter and linked both ways; publishing it answers the letter and
emails the writer once (only if they asked) with the answer's link and a private link that
gives their reply the "Letter writer" badge; declining can send a kind, editable email."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page

from advice.models import AdviceIndexPage, LetterPage
from comments import passes
from comments.models import Reply, ReplyStatus
from mailbag import drafts
from mailbag.models import MailbagSettings, ReaderLetter, ReaderLetterStatus
from testing.letters import add_write_in_page, store_letter
from testing.pages import answer, publish_child
from testing.replies import reply_form_data


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("eddie", "eddie@staff.example", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def reader_letter(column, topic):
    return store_letter(
        column,
        pen_name="Torn <b>Tote</b>",
        letter="My tote tore.\n\nShould I <script>alert(1)</script> fix it?",
        topic=topic,
        email="writer@example.com",
    )


def publish(page, user=None):
    page = LetterPage.objects.get(pk=page.pk)
    page.answer = answer("Yes: take it to a good cobbler.")
    page.save_revision(user=user).publish()  # Editors may not publish: who publishes is not ours
    page.refresh_from_db()
    return page


def links_in(text):
    return re.findall(r"https?://\S+", text)


def test_the_draft_is_filled_from_the_letter_and_linked_both_ways(
    client, editor, reader_letter, column, topic
):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_mailbag_readerletter:act", args=[reader_letter.pk]),
        {"action": "draft"},
    )
    reader_letter.refresh_from_db()
    page = reader_letter.draft
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert page.get_parent().specific == column
    assert not page.live and page.has_unpublished_changes
    assert page.title == "Letter from Torn <b>Tote</b>"
    assert page.pen_name == "Torn <b>Tote</b>"
    # The text, escaped, in paragraphs; the reader letter keeps it as sent.
    assert page.letter == (
        "<p>My tote tore.</p>\n\n<p>Should I &lt;script&gt;alert(1)&lt;/script&gt; fix it?</p>"
    )
    assert reader_letter.letter.startswith("My tote tore.\n\nShould I <script>")
    assert list(page.topics.all()) == [topic]
    assert page.reader_letter == reader_letter  # the letter side, through the relation
    assert reader_letter.status == ReaderLetterStatus.SHORTLISTED
    assert ModelLogEntry.objects.filter(action="mailbag.draft", object_id=str(reader_letter.pk))
    # The edit page links back to the reader letter; no script from the letter runs there.
    edit = client.get(response["Location"])
    assert reverse("wagtailsnippets_mailbag_readerletter:inspect", args=[reader_letter.pk]) in (
        edit.text
    )
    assert "<script>alert(1)" not in edit.text
    # A second click opens the same draft.
    assert drafts.create_draft(reader_letter, editor) == page
    assert LetterPage.objects.filter(pen_name=page.pen_name).count() == 1


def test_a_draft_shortlists_a_new_letter_through_its_lifecycle(column, editor):
    """Shortlisting by making a draft is a change of state like any other: it is stamped
    and logged (mailbag.lifecycle), once, and a letter past "new" keeps its state."""
    week_ago = timezone.now() - datetime.timedelta(days=7)
    reader_letter = store_letter(column, status_changed_at=week_ago)
    drafts.create_draft(reader_letter, editor)
    reader_letter.refresh_from_db()
    assert reader_letter.status == ReaderLetterStatus.SHORTLISTED
    assert reader_letter.status_changed_at > week_ago
    shortlisted = ModelLogEntry.objects.filter(
        action="mailbag.shortlist", object_id=str(reader_letter.pk)
    )
    assert [entry.user for entry in shortlisted] == [editor]
    drafts.create_draft(reader_letter, editor)
    assert shortlisted.count() == 1
    declined = store_letter(column, status=ReaderLetterStatus.DECLINED, status_changed_at=week_ago)
    drafts.create_draft(declined, editor)
    declined.refresh_from_db()
    assert declined.status == ReaderLetterStatus.DECLINED
    assert declined.status_changed_at == week_ago


def test_the_draft_goes_to_the_column_that_chose_the_write_in_page(home_page, column, editor):
    other = publish_child(home_page, AdviceIndexPage(title="Ask Margot", slug="margot"))
    write_in = add_write_in_page(other, slug="write-margot")
    reader_letter = store_letter(page=write_in, column=write_in.get_column())
    page = drafts.create_draft(reader_letter, editor)
    assert page.get_parent().specific == other
    # Two letters from the same pen name get two drafts with their own slugs.
    second = store_letter(page=write_in, column=other, pen_name=reader_letter.pen_name)
    assert drafts.create_draft(second, editor).slug != page.slug


def test_publishing_answers_the_letter_and_tells_the_writer_once(
    reader_letter, editor, mailoutbox, client
):
    page = drafts.create_draft(reader_letter, editor)
    page = publish(page, editor)
    reader_letter.refresh_from_db()
    assert reader_letter.status == ReaderLetterStatus.ANSWERED
    assert reader_letter.writer_told_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["writer@example.com"]
    assert message.subject == "Your letter to Dear PurseBop has been answered"
    letter_url, pass_url = links_in(message.body)
    assert letter_url == page.get_full_url()
    assert client.get(letter_url).status_code == 200
    assert "<script>" not in message.body.replace("&lt;", "")  # plain text, nothing to run
    assert "Dear Torn <b>Tote</b>," in message.body  # plain text: shown as typed
    # Published again (an edit): no second email.
    publish(page, editor)
    assert len(mailoutbox) == 1
    assert pass_url.startswith("http://testserver/replies/as/")


def test_the_email_prints_names_and_titles_on_one_line_whatever_the_row_holds(
    reader_letter, editor, mailoutbox
):
    """The body is plain text with escaping off: a pen name stored without the form's cleaning
    (an older or imported row) and a column title with a line break stay on their line."""
    ReaderLetter.objects.filter(pk=reader_letter.pk).update(pen_name="Torn\nFrom: us\u202e Tote")
    reader_letter.refresh_from_db()
    # Titles are validated to one line; a row written around that must not matter either.
    Page.objects.filter(pk=reader_letter.column_id).update(title="Dear\nPurseBop")
    publish(drafts.create_draft(reader_letter, editor), editor)
    (message,) = mailoutbox
    assert message.body.startswith("Dear TornFrom: us Tote,\n")  # as the form cleans a name
    assert "Your letter to Dear PurseBop has been answered" in " ".join(
        message.body.split("\n")[:4]
    )
    assert "\nFrom: us" not in message.body


def test_no_email_when_the_writer_did_not_ask(reader_letter, editor, mailoutbox):
    ReaderLetter.objects.filter(pk=reader_letter.pk).update(notify_on_answer=False)
    reader_letter.refresh_from_db()
    publish(drafts.create_draft(reader_letter, editor), editor)
    reader_letter.refresh_from_db()
    assert reader_letter.status == ReaderLetterStatus.ANSWERED
    assert mailoutbox == []
    assert reader_letter.email == ""  # nothing to tell them: the address went at once


def test_the_email_goes_through_the_queue(reader_letter, editor, email_queue, mailoutbox):
    from testing.mail import queued, run_email_worker

    publish(drafts.create_draft(reader_letter, editor), editor)
    assert mailoutbox == [] and queued().count() == 1
    run_email_worker()
    assert len(mailoutbox) == 1


def test_a_page_not_made_from_a_letter_sends_nothing(make_letter, mailoutbox):
    letter = make_letter()
    publish(letter)
    assert mailoutbox == []


def test_declining_with_the_kind_email_sends_the_editable_text_once(
    client, editor, reader_letter, mailoutbox, home_page
):
    setting = MailbagSettings.for_site(home_page.get_site())
    setting.decline_body = "Dear {pen_name}, not this time. Love, {column}."
    setting.save()
    client.force_login(editor)
    act = reverse("wagtailsnippets_mailbag_readerletter:act", args=[reader_letter.pk])
    client.post(act, {"action": "decline", "send_email": "on"})
    reader_letter.refresh_from_db()
    assert reader_letter.status == ReaderLetterStatus.DECLINED
    assert len(mailoutbox) == 1
    assert mailoutbox[0].body == "Dear Torn <b>Tote</b>, not this time. Love, Dear PurseBop."
    assert mailoutbox[0].subject == "Thank you for your letter to Dear PurseBop"
    client.post(act, {"action": "new"})
    client.post(act, {"action": "decline", "send_email": "on"})
    assert len(mailoutbox) == 1


def test_declining_without_the_email_sends_nothing(client, editor, reader_letter, mailoutbox):
    client.force_login(editor)
    act = reverse("wagtailsnippets_mailbag_readerletter:act", args=[reader_letter.pk])
    client.post(act, {"action": "decline"})
    assert mailoutbox == []


# --- The writer's voice: the private link and the badge --------------------------------------


@pytest.fixture
def answered(reader_letter, editor, mailoutbox, settings):
    settings.RATE_LIMIT_MULTIPLIER = 50
    page = publish(drafts.create_draft(reader_letter, editor), editor)
    return page, links_in(mailoutbox[0].body)[1]


def send_reply(client, page, email, text):
    from comments.forms import ReplyForm

    data = reply_form_data(page, comment=text, email=email, name="Torn Tote")
    ReplyForm.min_seconds_to_type = 0
    try:
        client.post(reverse("comments-post-comment"), data)
    finally:
        ReplyForm.min_seconds_to_type = 3
    return Reply.objects.filter(comment=text).get()


def test_the_link_gives_the_writer_the_badge_held_for_a_moderator(client, answered):
    page, pass_url = answered
    opened = client.get(pass_url.removeprefix("http://testserver"))
    assert opened.status_code == 200 and "letter writer" in opened.text
    reply = send_reply(client, page, "writer@example.com", "Thank you, it worked!")
    assert reply.author_badge == "writer"
    assert reply.status == ReplyStatus.PENDING


def test_without_the_link_or_with_another_address_there_is_no_badge(client, answered):
    page, pass_url = answered
    stranger = send_reply(client, page, "writer@example.com", "I am the writer, honest")
    assert not stranger.author_badge
    client.get(pass_url.removeprefix("http://testserver"))
    other = send_reply(client, page, "someone@example.com", "Another address")
    assert not other.author_badge


def test_the_link_does_not_work_for_another_letter_or_after_expiry(
    client, answered, make_letter, monkeypatch
):
    page, pass_url = answered
    client.get(pass_url.removeprefix("http://testserver"))
    elsewhere = make_letter()
    assert not send_reply(client, elsewhere, "writer@example.com", "On another letter").author_badge
    monkeypatch.setattr(passes, "MAX_AGE", -1)
    assert client.get(pass_url.removeprefix("http://testserver")).status_code == 404
    expired = send_reply(client, page, "writer@example.com", "After expiry")
    assert not expired.author_badge


def test_hostile_pen_names_do_not_run_in_the_page_or_inbox(client, answered, editor):
    page, _ = answered
    html = client.get(page.url).text
    assert "<b>Tote</b>" not in html and "Torn &lt;b&gt;Tote&lt;/b&gt;" in html
    BeautifulSoup(html, "html.parser")
