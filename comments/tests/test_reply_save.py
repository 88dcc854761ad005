"""Why Reply.save() steps past XtdComment.save(): the queries of storing one reply, counted
for xtd's save and for ours, and the same thread data either way."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_comments_xtd.models import XtdComment

from comments.models import Reply, ReplyStatus
from testing.output import say


def new_reply(letter, parent=None, n=1):
    return Reply(
        content_type=ContentType.objects.get_for_model(letter),
        object_pk=str(letter.pk),
        site_id=1,
        parent_id=parent.pk if parent else 0,
        user_name=f"Reader {n}",
        user_email=f"saved{n}@example.com",
        comment=f"Reply number {n}.",
        status=ReplyStatus.APPROVED,
    )


def xtd_save(reply):
    """What saving would cost through xtd: our derived fields set as Reply.save sets them,
    then XtdComment.save (insert the three rows, then save all three again)."""
    reply.render()
    reply.is_public, reply.is_removed = True, False
    XtdComment.save(reply)


def writes(queries):
    return [query["sql"].split()[0] for query in queries]


@pytest.mark.django_db
@pytest.mark.parametrize("nested", [False, True], ids=["top-level", "answer"])
def test_ours_stores_a_reply_with_two_fewer_writes_than_xtds(
    pytestconfig, letter, make_reply, nested
):
    parent = make_reply() if nested else None
    ContentType.objects.get_for_model(letter)  # cached, as in any running site
    theirs, ours = new_reply(letter, parent, 1), new_reply(letter, parent, 2)
    with CaptureQueriesContext(connection) as xtd_queries:
        xtd_save(theirs)
    with CaptureQueriesContext(connection) as our_queries:
        ours.save()
    say(
        pytestconfig,
        f"saving one {'answer' if nested else 'top-level reply'}: "
        f"xtd {len(writes(xtd_queries))} queries {writes(xtd_queries)}, "
        f"ours {len(writes(our_queries))} {writes(our_queries)}",
    )
    # xtd: 3 INSERTs, then 3 UPDATEs of the same rows (comment, xtd comment, reply tables);
    # ours: 3 INSERTs, then 1 UPDATE of the thread fields in xtd's table alone.
    assert writes(xtd_queries).count("UPDATE") - writes(our_queries).count("UPDATE") == 2
    assert writes(xtd_queries).count("INSERT") == writes(our_queries).count("INSERT") == 3
    # The same thread data either way.
    theirs.refresh_from_db()
    ours.refresh_from_db()
    for reply in (theirs, ours):
        assert reply.thread_id == (parent.thread_id if parent else reply.pk)
        assert reply.level == (parent.level + 1 if parent else 0)
