"""Every kind of thread a letter's count must get right, shared by the tests that compare the
cards' counts with the letter page's (test_threads) and the stored counts with both
(test_reply_counts)."""

from comments.models import ReplyStatus


def every_kind_of_thread(letter, make_letter, make_reply):
    """Replies under `letter` (make_reply's default) and under another letter, which is
    returned: readers see 6 replies on `letter` and 1 on the other."""
    root = make_reply()  # an approved thread, three deep: 3
    make_reply(parent=make_reply(parent=root))
    mixed = make_reply()  # approved root, an approved answer, a held answer above one: 2
    make_reply(parent=mixed)
    make_reply(parent=make_reply(parent=mixed, status=ReplyStatus.PENDING))
    erased = make_reply(status=ReplyStatus.ERASED)  # a placeholder, answered: 1
    make_reply(parent=erased)
    make_reply(status=ReplyStatus.ERASED)  # a placeholder with nothing below: 0
    make_reply(status=ReplyStatus.SPAM)
    other = make_letter("Another letter?")
    make_reply(on=other)
    make_reply(on=other, parent=make_reply(on=other, status=ReplyStatus.REJECTED))
    return other
