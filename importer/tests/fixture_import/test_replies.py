"""The fixture's comments as replies: their threads, statuses, badges and markup, shown on the
letter's page, each logged and nobody emailed."""

import datetime
import html

from bs4 import BeautifulSoup
from wagtail.models import ModelLogEntry

from comments.models import Reply, ReplyStatus
from importer.importing import HOLD_REASON
from importer.models import ImportedComment
from importer.tests.fixture_import.helpers import letter, reply

UTC = datetime.UTC


def test_comments_keep_their_threads_and_deeper_ones_hang_under_our_deepest_level(imported):
    top, answer, question, level3, deeper, deepest = (reply(n) for n in range(1001, 1007))
    assert [r.level for r in (top, answer, question, level3)] == [0, 1, 2, 3]
    assert (answer.parent_id, question.parent_id, level3.parent_id) == (
        top.pk,
        answer.pk,
        question.pk,
    )
    # WordPress nests them five and six deep; ours stop at level 3: they hang under 1003.
    assert (deeper.parent_id, deeper.level) == (question.pk, 3)
    assert (deepest.parent_id, deepest.level) == (question.pk, 3)
    assert {r.thread_id for r in (top, answer, question, level3, deeper, deepest)} == {top.pk}
    assert top.submit_date == datetime.datetime(2024, 5, 3, 16, 20, tzinfo=UTC)
    assert (top.user_name, top.user_email, top.ip_address) == (
        "Jo Lindqvist",
        "jo@example.net",
        "203.0.113.5",
    )
    # Its parent was spam: it starts a thread of its own.
    orphan = reply(1012)
    assert (orphan.parent_id, orphan.level) == (orphan.pk, 0)


def test_approved_comments_are_published_pending_ones_held_and_the_rest_skipped(imported):
    assert reply(1001).status == ReplyStatus.APPROVED and reply(1001).hold_reason == ""
    held = reply(1007)
    assert (held.status, held.hold_reason, held.is_public) == (
        ReplyStatus.PENDING,
        HOLD_REASON,
        False,
    )
    assert reply(1061).status == ReplyStatus.PENDING
    statuses = list(Reply.objects.values_list("status", flat=True))
    assert (statuses.count("approved"), statuses.count("pending"), len(statuses)) == (16, 2, 18)
    # spam, trash, a pingback, a trackback, a comment that was only an <img>
    skipped = {1008, 1009, 1010, 1022, 1132}
    assert not ImportedComment.objects.filter(wp_id__in=skipped).exists()
    assert not Reply.objects.filter(
        user_name__in=["Cheap Bags Outlet", "Another Bag Blog"]
    ).exists()


def test_the_posts_author_gets_the_columnist_badge_by_account_or_email(imported):
    assert reply(1002).author_badge == "columnist"  # wp:comment_user_id of the post's author
    assert reply(1013).author_badge == "columnist"  # the author's email, in other case
    assert reply(1014).author_badge == ""  # Morgan is an author, but not of this post
    assert reply(1131).author_badge == "columnist"  # ... and is of this one
    assert reply(1001).author_badge == ""


def test_comment_markup_becomes_plain_text_our_sanitiser_renders(imported):
    hostile = reply(1011)
    assert hostile.comment == "Great advice! Really.\n\nTry this trick & <3 “quoted”"
    assert (
        hostile.html == "<p>Great advice! Really.</p>\n<p>Try this trick &amp; &lt;3 “quoted”</p>"
    )
    assert hostile.ip_address is None  # WordPress had "unknown"
    paragraphs = reply(1021)
    assert paragraphs.html == (
        "<p>I bought resale and never regretted it.</p>\n"
        "<p>The receipt mattered more than anything, “trust but verify”.</p>"
    )
    assert reply(1023).html == (
        "<p>Thank you!</p>\n<p>I asked for the receipt and it checks out.<br>\nBuying it tonight.</p>"
    )
    assert reply(1121).user_name == "Anonymous"
    assert reply(1062).user_url == "https://bea.example"


def test_the_letter_page_shows_the_split_letter_and_the_visible_replies(imported, client):
    page = letter(101)
    response = client.get(page.url)
    assert response.status_code == 200
    body = response.content.decode()
    text = html.unescape(body)
    assert '<p class="letter__greeting">Dear PurseBop,</p>' in body
    assert "— Scratched in Seattle" in text and "Dear Scratched in Seattle:" in text
    assert "<h3>Try your fingertip first</h3>" in body
    assert "<figcaption>A little conditioner goes a long way.</figcaption>" in body
    # Ten approved replies, one of them under a reply still held: nine are shown.
    assert "9 replies" in body
    assert "Does this work on pebbled leather too?" not in text  # held
    assert "pebbled leather hides scratches already" not in text  # under a held reply
    replies = str(BeautifulSoup(body, "html.parser").select_one("ol.reply-list"))
    assert "Try this trick &amp; &lt;3" in replies
    for bad in ("<script", "<img", "onerror", "onmouseover", "javascript:", "&lt;p&gt;", "stolen"):
        assert bad not in replies, bad
    assert "alert(" not in body
    assert 'class="badge badge--columnist">Columnist</span>' in body


def test_a_reply_hung_higher_says_whom_it_answered_on_wordpress(imported, client):
    # 1005 (Priya) answered 1004 (Jo) five deep; it hangs under 1003 (Priya) at our level 3.
    deeper, answered, hung_under = reply(1005), reply(1004), reply(1003)
    assert (deeper.parent_id, deeper.answers_reply) == (hung_under.pk, answered)
    assert reply(1006).answers_reply == deeper
    assert reply(1004).answers_reply is None  # in its place: its parent is whom it answered
    body = client.get(letter(101).url).content.decode()
    item = BeautifulSoup(body, "html.parser").select_one(f"#reply-{deeper.pk} header")
    in_reply_to = item.select_one(".reply__in-reply-to a")
    assert (in_reply_to.get_text(), in_reply_to["href"]) == (
        "Jo Lindqvist",
        f"#reply-{answered.pk}",
    )


def test_each_imported_reply_is_logged_and_nobody_is_emailed(imported):
    entries = ModelLogEntry.objects.filter(action="comments.post")
    assert entries.count() == 18
    assert {entry.data["reason"] for entry in entries} == {"imported from WordPress"}
    assert {entry.data["to"] for entry in entries} == {"approved", "pending"}
    assert imported["mail"] == []
