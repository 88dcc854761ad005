"""A page title with a line break (stored before titles were checked, or by code) must not
break the replies under it: an email subject with a line break raises BadHeaderError."""

from comments.models import ReplyStatus
from testing.replies import posted_reply


def test_a_letter_titled_with_a_line_break_takes_a_held_reply(
    client, make_letter, post_reply, policy, moderator, mailoutbox
):
    letter = make_letter("Line break")
    # Stored past the page form's check (older data, or code saving without clean()).
    type(letter).objects.filter(pk=letter.pk).update(title="Line\nbreak", draft_title="Line\nbreak")
    response = post_reply(client, letter, comment="Still works?")
    assert response.status_code == 302
    assert posted_reply(response).status == ReplyStatus.PENDING
    [message] = [message for message in mailoutbox if message.to == [moderator.email]]
    assert message.subject == "[Dear PurseBop] A reply awaits moderation on “Line break”"
    assert not {"\n", "\r"} & set(message.subject)
    message.message()  # what sending builds: it would raise BadHeaderError
