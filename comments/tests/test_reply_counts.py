"""The cards' stored reply counts (comments.counts, ReplyCount): whatever changes what readers
see of a reply (posted public, approved, sent back, rejected, spam, reported, erased, deleted,
imported, picked), the letter's stored count is the count made from its replies
(comments.threads.visible_counts, the walk the letter page's own count makes) and the number
the letter page shows; rows written around the lifecycle are counted again by `manage.py
recount_replies`, and migration 0020 filled the counts of the replies stored before it."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections, transaction

from comments import lifecycle
from comments.models import Reply, ReplyCount, ReplyStatus
from comments.signals import replies_changed
from comments.tests.letter_page import shown
from comments.tests.thread_kinds import every_kind_of_thread
from comments.threads import reply_counts, visible_counts
from testing.replies import posted_reply


def key(letter):
    return (ContentType.objects.get_for_model(letter).pk, str(letter.pk))


def stored(letter):
    """The letter's stored count, or None when it has no row."""
    content_type_id, object_pk = key(letter)
    row = ReplyCount.objects.filter(content_type_id=content_type_id, object_pk=object_pk).first()
    return row and row.shown


def from_replies(letter):
    content_type_id, object_pk = key(letter)
    replies = Reply.objects.filter(content_type_id=content_type_id, object_pk=object_pk)
    return visible_counts(replies).get(key(letter), 0)


def expect(client, letter, count):
    """The stored count, the count made from the replies and the letter page agree."""
    assert (stored(letter) or 0, from_replies(letter)) == (count, count)
    assert reply_counts([letter]) == {letter.pk: count}
    words = {0: "No replies yet", 1: "1 reply"}.get(count, f"{count} replies")
    assert shown(client, letter)[0] == words


def fresh(reply):
    return Reply.objects.get(pk=reply.pk)


@pytest.fixture(autouse=True)
def rendered(page_cache_off):
    """Every letter page rendered, never a kept one."""


def test_the_stored_count_follows_every_change_of_what_readers_see(
    client, other_visitor, letter, make_reply, post_reply, hold_untrusted, trusted_email, moderator
):
    expect(other_visitor, letter, 1)  # the trusted reader's earlier reply

    public = posted_reply(post_reply(client, letter, email=trusted_email, comment="Shown."))
    assert public.is_published
    expect(other_visitor, letter, 2)
    held = posted_reply(post_reply(other_visitor, letter, comment="Waiting."))
    assert held.is_held
    expect(other_visitor, letter, 2)  # a held reply changes nothing readers see

    lifecycle.moderate(fresh(held), "approve", moderator)
    expect(other_visitor, letter, 3)
    answer = posted_reply(
        post_reply(client, letter, reply_to=held, email=trusted_email, comment="Agreed.")
    )
    assert answer.is_published
    expect(other_visitor, letter, 4)

    lifecycle.pick(fresh(answer), moderator)  # a pick is still one reply
    expect(other_visitor, letter, 4)
    lifecycle.unpick(fresh(answer), moderator)
    expect(other_visitor, letter, 4)

    # A reply sent back, rejected or marked as spam hides its answers with it.
    for action in ("requeue", "reject", "spam"):
        lifecycle.moderate(fresh(held), action, moderator)
        expect(other_visitor, letter, 2)
        lifecycle.moderate(fresh(held), "approve", moderator)
        expect(other_visitor, letter, 4)
    lifecycle.reported(fresh(held), open_reports=3)
    expect(other_visitor, letter, 2)
    lifecycle.moderate(fresh(held), "approve", moderator)
    expect(other_visitor, letter, 4)

    # Under an approved parent, a hidden answer is one fewer; approved again, one more.
    lifecycle.moderate(fresh(answer), "reject", moderator)
    expect(other_visitor, letter, 3)
    lifecycle.moderate(fresh(answer), "approve", moderator)
    expect(other_visitor, letter, 4)


@pytest.mark.parametrize("action", ["requeue", "reject", "spam"])
def test_a_hidden_reply_takes_its_whole_subtree_off_the_count(
    client, letter, make_letter, make_reply, action
):
    top = make_reply()
    child = make_reply(parent=top)
    make_reply(parent=make_reply(parent=child))  # a grandchild and its answer
    make_reply(parent=top)
    make_reply(parent=child, status=ReplyStatus.PENDING)  # held: never counted
    other = make_letter("Another letter?")
    make_reply(on=other)
    expect(client, letter, 5)

    lifecycle.moderate(fresh(child), action, None)
    expect(client, letter, 2)
    lifecycle.moderate(fresh(top), action, None)
    expect(client, letter, 0)
    assert stored(letter) == 0  # the row stays, at none
    expect(client, other, 1)  # another letter's count is its own


def test_an_erasure_counts_what_stays_in_the_threads(client, letter, make_reply, moderator):
    """A reply nobody else answered is deleted, with the author's own answer to it; one
    another reader answered stays, erased, as a placeholder that no longer counts, and the
    answer below it still does."""
    email = "leaving@example.com"
    make_reply(parent=make_reply(user_email=email), user_email=email)  # both deleted
    answered = make_reply(user_email=email)
    make_reply(parent=answered, comment="Another reader answers.")
    make_reply(comment="Someone else.")
    expect(client, letter, 5)

    plan = lifecycle.erase(email, moderator)
    assert (len(plan["delete"]), len(plan["blank"])) == (2, 1)
    assert fresh(answered).is_erased
    expect(client, letter, 2)


def test_a_deleted_parent_takes_its_answers_off_the_count(client, letter, make_reply):
    """Deleted by hand (the desk never deletes a reply), then announced as the lifecycle
    announces a deletion: its answers, left without a parent, are not shown or counted."""
    top = make_reply()
    make_reply(parent=top)
    make_reply()
    expect(client, letter, 3)
    Reply.objects.filter(pk=top.pk).delete()
    replies_changed.send(sender=Reply, reply=top)
    expect(client, letter, 1)


def test_imported_replies_are_counted_as_they_come(client, letter, make_reply):
    kept = {"content_type": ContentType.objects.get_for_model(letter), "site_id": 1}
    values = {**kept, "object_pk": str(letter.pk), "user_name": "Wanda", "comment": "From WP."}
    top = lifecycle.imported(Reply(status=ReplyStatus.APPROVED, **values))
    expect(client, letter, 1)
    waiting = lifecycle.imported(Reply(status=ReplyStatus.PENDING, parent_id=top.pk, **values))
    lifecycle.imported(Reply(status=ReplyStatus.APPROVED, parent_id=waiting.pk, **values))
    lifecycle.imported(Reply(status=ReplyStatus.APPROVED, parent_id=top.pk, **values))
    expect(client, letter, 2)


def test_recount_replies_counts_rows_written_around_the_lifecycle(
    client, letter, make_letter, make_reply, capsys
):
    top = make_reply()
    make_reply(parent=top)
    other = make_letter("Another letter?")
    make_reply(on=other)
    # Changed as raw rows (loaddata, a change by hand): the stored counts are behind.
    Reply.objects.filter(pk=top.pk).update(status=ReplyStatus.PENDING)
    third = make_letter("A third letter?")
    Reply.objects.filter(object_pk=str(other.pk)).update(object_pk=str(third.pk))
    assert (stored(letter), stored(other), stored(third)) == (2, 1, None)

    call_command("recount_replies")
    assert "Pages with replies readers see: 1." in capsys.readouterr().out
    assert (stored(letter), stored(other), stored(third)) == (None, None, 1)
    for page, count in ((letter, 0), (other, 0), (third, 1)):
        expect(client, page, count)


def test_migration_0020_counts_the_replies_stored_before_it(letter, make_letter, make_reply):
    """Every kind of thread, on two letters: the migration's count is the site's."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    other = every_kind_of_thread(letter, make_letter, make_reply)
    quiet = make_letter("A quiet letter?")
    make_reply(on=quiet, status=ReplyStatus.PENDING)
    ReplyCount.objects.all().delete()

    executor = MigrationExecutor(connection)
    migration = executor.loader.get_migration("comments", "0020_reply_counts")
    state = executor.loader.project_state(("comments", "0020_reply_counts"))
    migration.operations[-1].code(state.apps, None)
    assert (stored(letter), stored(other), stored(quiet)) == (6, 1, None)
    assert reply_counts([letter, other, quiet]) == {letter.pk: 6, other.pk: 1, quiet.pk: 0}


def test_the_cards_read_one_row_a_letter_never_its_replies(letter, make_letter, make_reply):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quiet = make_letter("A quiet letter?")
    for _ in range(30):
        make_reply(parent=make_reply())
    with CaptureQueriesContext(connection) as queries:
        assert reply_counts([letter, quiet]) == {letter.pk: 60, quiet.pk: 0}
    (sql,) = [query["sql"] for query in queries.captured_queries]
    assert "comments_replycount" in sql and "django_comments" not in sql


# Decided before any database is set up: a transactional test flushes the tables afterwards,
# which would also empty what the migrations seeded for the tests that follow.
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="concurrent writers need PostgreSQL (the PostgreSQL/Redis lane)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_moderators_at_once_never_count_over_each_other(letter, make_reply):
    """The first approval, of a held reply with an approved answer below it, is not committed
    yet when the second, of another held reply, counts: the second waits for the page's row,
    then counts both (without the lock it counted without the first, and wrote last)."""
    held_top = make_reply(status=ReplyStatus.PENDING)
    make_reply(parent=held_top)  # hidden until its parent is approved
    other = make_reply(status=ReplyStatus.PENDING)
    assert (stored(letter), from_replies(letter)) == (0, 0)
    first_counted = threading.Event()

    def first():
        try:
            with transaction.atomic():
                lifecycle.moderate(fresh(held_top), "approve", None)
                first_counted.set()
                time.sleep(1)  # the other moderator's approval arrives meanwhile
        finally:
            first_counted.set()
            connections.close_all()

    def second():
        try:
            assert first_counted.wait(10)
            lifecycle.moderate(fresh(other), "approve", None)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        moderators = [pool.submit(first), pool.submit(second)]
    for moderator in moderators:
        moderator.result()  # raises what a moderator's thread raised
    assert (stored(letter), from_replies(letter)) == (3, 3)
