"""`make bench-emails`: what 1,000 approvals cost now that email leaves through the queue.

1,000 held replies on 20 letters, each letter with 10 followers who confirmed their address;
one author in three asked to hear when their reply is published, one in five ticked to
follow (not confirmed yet, they are sent the confirmation link). A moderator approves them
through the desk, over django.test.Client: the replies of half the letters one request each
(500 requests, like clicking Approve on each row), those of the other half in bulk, 50 a
request. Then it counts the tasks and emails queued, and times one pass of the email worker
(`manage.py db_worker --backend email --batch`) sending them all to the console backend,
whose output is counted, not printed.

For comparison it counts the follow-up emails django-comments-xtd sent for the same
approvals before the queue: one per follower per approval, inside the request.

Like bench/run.py: a throwaway SQLite database in a temporary directory, the test settings,
nothing asserted. The email backend of TASKS is the database one, as in production, and
REPLY_FOLLOWUP_WAIT is 0, so the worker need not wait the five minutes a letter's follow-ups
wait for more approvals (approvals here end before the worker starts, so batching is the same).

    .venv/bin/python bench/emails.py           # about two and a half minutes
    .venv/bin/python bench/emails.py --quick   # 100 approvals on 4 letters: a smoke check
"""

import argparse
import contextlib
import io
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.database import build_schema, configure  # noqa: E402
from bench.report import ms, progress, say  # noqa: E402

FOLLOWERS = 10  # confirmed followers per letter, before the approvals
SEND = "outbox.delivery.send_messages"
FOLLOWUPS = "comments.notifications.send_followups"
SEPARATOR = "\n" + "-" * 79 + "\n"  # what the console backend writes after each message


class Sink(io.StringIO):
    """The console backend's output, kept to count the messages in it."""


def make_letters(count):
    """`count` published letters like the first demo letter, dated today (open for replies)."""
    from django.utils import timezone

    from advice.models import LetterPage
    from demo.loader import letter_fields, read_content

    data = read_content()["letters"][0]
    source = LetterPage.objects.get(slug=data["slug"])
    column = source.get_parent()
    letters = []
    for n in range(count):
        page = LetterPage(
            title=f"{data['title']} ({n + 1})",
            slug=f"bench-emails-{n + 1}",
            **letter_fields(data),
            date=timezone.localdate(),
            columnist=source.columnist,
        )
        column.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        letters.append(page)
    return letters


def make_replies(letters, per_letter):
    """Followers (approved, following, confirmed) and held replies on each letter. Returns
    {letter pk: [held replies in approval order]}."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from comments.models import ReaderEmail, Reply, ReplyStatus

    now = timezone.now()
    held = {}
    with transaction.atomic():
        for i, letter in enumerate(letters):
            common = {
                "content_type": ContentType.objects.get_for_model(letter),
                "object_pk": str(letter.pk),
                "site_id": 1,
                "ip_address": "192.0.2.1",
            }
            for f in range(FOLLOWERS):
                email = f"follower{i}-{f}@example.com"
                Reply.objects.create(
                    **common,
                    user_name=f"Follower {f}",
                    user_email=email,
                    comment="I would like to hear what others say.",
                    status=ReplyStatus.APPROVED,
                    followup=True,
                )
                ReaderEmail.objects.create(email=email, confirmed_at=now)
            held[letter.pk] = [
                Reply.objects.create(
                    **common,
                    user_name=f"Author {k}",
                    user_email=f"author{i}-{k}@example.com",
                    comment=f"Held reply {k} on letter {i + 1}: my bag came with a scratch too.",
                    status=ReplyStatus.PENDING,
                    notify_on_publish=k % 3 == 0,
                    # Ticked from a browser that has not proved the address: the request
                    # waits for the confirmation link (comments.posting).
                    followup_pending=k % 5 == 0,
                )
                for k in range(per_letter)
            ]
    return held


def xtd_followups(held):
    """The follow-up emails django-comments-xtd sent for these approvals, in this order: each
    approval emailed every public follower of the letter but its author, and an author who
    ticked to follow became one."""
    total = 0
    for replies in held.values():
        followers = {f"follower-{f}" for f in range(FOLLOWERS)}
        for reply in replies:
            total += len(followers - {reply.user_email})
            if reply.followup or reply.followup_pending:
                followers.add(reply.user_email)
    return total


def timed_posts(client, posts):
    """POST each (url, data); every answer must be the desk's redirect. Returns seconds each."""
    times = []
    for url, data in posts:
        start = time.perf_counter()
        response = client.post(url, data)
        times.append(time.perf_counter() - start)
        if response.status_code != 302:
            raise SystemExit(f"POST {url} answered {response.status_code}: not an approval.")
    return times


def approve(moderator, held, one_by_one, in_bulk):
    """The moderator approves every held reply: those of `one_by_one` letters a request each,
    those of `in_bulk` letters all at once per letter. Returns the two lists of times."""
    single = timed_posts(
        moderator,
        [
            (f"/admin/snippets/comments/reply/moderate/{reply.pk}/", {"action": "approve"})
            for letter in one_by_one
            for reply in held[letter.pk]
        ],
    )
    progress(f"approving the replies of {len(in_bulk)} letters in bulk")
    bulk = timed_posts(
        moderator,
        [
            (
                "/admin/bulk/comments/reply/approve/?"
                + "&".join(f"id={reply.pk}" for reply in held[letter.pk])
                + "&next=/admin/",
                {},
            )
            for letter in in_bulk
        ],
    )
    return single, bulk


def summary(times):
    p90 = statistics.quantiles(times, n=10, method="inclusive")[-1] if len(times) > 1 else times[0]
    return (
        f"median {ms(statistics.median(times))}, p90 {ms(p90)}, max {ms(max(times))}, "
        f"total {sum(times):,.2f} s"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 approvals: a smoke check")
    quick = parser.parse_args(argv).quick
    letters_count, per_letter = (4, 25) if quick else (20, 50)
    started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="pursebop-bench-emails-") as scratch:
        database = configure(Path(scratch))

        import django
        import wagtail
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client
        from django.test.utils import override_settings
        from django_tasks_db.models import DBTaskResult

        from demo.loader import load_demo_content
        from outbox.delivery import BACKEND

        queue_settings = override_settings(
            TASKS={
                "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
                BACKEND: {"BACKEND": "django_tasks_db.DatabaseBackend"},
            },
            EMAIL_DELIVERY_BACKEND="django.core.mail.backends.console.EmailBackend",
            REPLY_FOLLOWUP_WAIT=0,
        )
        queue_settings.enable()

        progress(f"migrating a throwaway database in {scratch}")
        build_schema()
        progress(
            f"demo content, {letters_count} letters, {letters_count * per_letter} held replies"
        )
        load_demo_content()
        letters = make_letters(letters_count)
        held = make_replies(letters, per_letter)
        approvals = sum(len(replies) for replies in held.values())
        asked = sum(r.notify_on_publish for replies in held.values() for r in replies)
        following = sum(r.followup for replies in held.values() for r in replies)

        moderator = Client()
        moderator.force_login(
            get_user_model().objects.create_superuser("bench", email="bench@example.com")
        )
        one_by_one, in_bulk = letters[: letters_count // 2], letters[letters_count // 2 :]
        progress(f"approving the replies of {len(one_by_one)} letters one request each")
        during = Sink()  # anything sent inside the requests would be printed here
        with contextlib.redirect_stdout(during):
            single_times, bulk_times = approve(moderator, held, one_by_one, in_bulk)
        sent_in_requests = during.getvalue().count(SEPARATOR)

        queued = DBTaskResult.objects.filter(backend_name=BACKEND)
        tasks = Counter(queued.values_list("task_path", flat=True))
        author_emails = sum(len(t.args_kwargs["args"][0]) for t in queued.filter(task_path=SEND))

        progress(f"one pass of the email worker over {sum(tasks.values()):,} tasks")
        sink = Sink()
        with contextlib.redirect_stdout(sink):
            clock = time.perf_counter()
            call_command(
                "db_worker",
                "--batch",
                "--backend",
                BACKEND,
                "--no-startup-delay",
                "--no-reload",
                verbosity=0,
            )
            worker_time = time.perf_counter() - clock
        results = list(DBTaskResult.objects.filter(backend_name=BACKEND))
        statuses = Counter(result.status for result in results)
        followup_emails = sum(r.return_value["emails"] for r in results if r.task_path == FOLLOWUPS)
        sent = sum(r.return_value["sent"] for r in results if r.return_value)
        printed = sink.getvalue().count(SEPARATOR)
        queue_settings.disable()
        connections.close_all()

    say()
    say(
        f"Dear PurseBop email benchmark: {'quick' if quick else 'full'} run, "
        f"{time.strftime('%Y-%m-%d %H:%M')}"
    )
    say(
        f"Python {platform.python_version()}, Django {django.get_version()}, Wagtail "
        f"{wagtail.__version__}, django-tasks {version('django-tasks')}, django-tasks-db "
        f"{version('django-tasks-db')}; SQLite {sqlite3.sqlite_version}, a throwaway "
        f"{database.name} (WAL)"
    )
    say(
        f"{approvals:,} held replies on {letters_count} letters, {FOLLOWERS} confirmed followers "
        f"each; {asked} authors asked to hear of publication, {following} ticked to follow"
    )
    say()
    say("Approval requests (the desk, django.test.Client, logged in as a moderator):")
    say(f"  one reply a request, {len(single_times)} requests: {summary(single_times)}")
    say(f"  {per_letter} replies a request, {len(bulk_times)} requests: {summary(bulk_times)}")
    say(f"  emails sent inside those requests: {sent_in_requests}")
    say()
    say(f"Queued: {sum(tasks.values()):,} tasks")
    say(f"  {tasks[SEND]:,} x send_messages ({author_emails:,} emails to authors)")
    say(f"  {tasks[FOLLOWUPS]:,} x send_followups (one per letter)")
    say(
        f"django-comments-xtd sent {xtd_followups(held):,} follow-up emails for the same "
        "approvals, inside the requests, one thread each"
    )
    say()
    say("One pass of the email worker (db_worker --batch), console backend:")
    say(
        f"  {worker_time:,.2f} s for {len(results):,} tasks "
        f"({', '.join(f'{n:,} {status}' for status, n in sorted(statuses.items()))})"
    )
    say(
        f"  {sent:,} emails sent ({author_emails:,} to authors, {followup_emails:,} follow-ups), "
        f"{printed:,} printed; {sent / worker_time:,.0f} emails a second"
    )
    say()
    say(f"Total time {time.perf_counter() - started:,.0f} s.")


if __name__ == "__main__":
    main()
