"""The steps `make bench-newsletter` times (bench/newsletter.py runs them): the site and its
subscribers, a letter published through the admin, and the email worker's loop.

Everything here runs on whatever database Django is set up with: the benchmark's kept one, or
the test database of bench/tests/test_newsletter_bench.py."""

import datetime
import io
import os
import time

SUBSCRIBED_SLUG = "bench-newsletter-subscribed"  # the column with BENCH_SUBSCRIBERS readers
QUIET_SLUG = "bench-newsletter-quiet"  # a column nobody subscribes to: an ordinary publish
LETTER_PREFIX = "bench-newsletter-letter-"
EDITOR = "bench-newsletter-editor"
ROWS = 5_000  # subscribers written per INSERT batch
SEPARATOR = "-" * 79  # what the console backend writes after each message (a write of its own)


def rss_kb():
    """This process's resident memory now and at its highest, in KB (Linux's /proc)."""
    values = {}
    try:
        with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0])
    except OSError:
        pass
    return {"rss_kb": values.get("VmRSS"), "peak_kb": values.get("VmHWM")}


class CountingStream(io.TextIOBase):
    """Where the console email backend writes: it counts messages (and, when asked, keeps each
    To: address), and prints nothing."""

    def __init__(self, keep_recipients=False):
        self.messages = 0
        self.recipients = [] if keep_recipients else None
        self._tail = ""

    def writable(self):
        return True

    def write(self, text):
        self.messages += text.count(SEPARATOR)
        if self.recipients is not None:
            for line in text.splitlines():
                if line.startswith("To: "):
                    self.recipients.append(line[4:].strip())
        return len(text)


def prepare_site():
    """The two columns, their columnist and the editor who publishes (a Moderator: Wagtail's
    group that may publish), made once and found again on later runs."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import Page, Site

    from advice.models import AdviceIndexPage, Columnist, HomePage

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(title="Dear PurseBop", slug="pursebop", intro="<p>Bags.</p>")
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        site.root_page, site.hostname, site.port = home, "testserver", 80
        site.save()
    columns = {}
    for slug, title in ((SUBSCRIBED_SLUG, "Much read"), (QUIET_SLUG, "Quiet corner")):
        column = AdviceIndexPage.objects.filter(slug=slug).first()
        if column is None:
            column = AdviceIndexPage(title=title, slug=slug, intro="<p>Letters.</p>")
            home.add_child(instance=column)
            column.save_revision().publish()
        columns[slug] = column
    columnist, _ = Columnist.objects.get_or_create(
        slug="bench-columnist", defaults={"name": "Bench Columnist"}
    )
    editor = get_user_model().objects.filter(username=EDITOR).first()
    if editor is None:
        editor = get_user_model().objects.create_user(EDITOR, email="editor@example.com")
        editor.groups.add(Group.objects.get(name="Moderators"))
    return columns[SUBSCRIBED_SLUG], columns[QUIET_SLUG], columnist, editor


def ensure_subscribers(column, count, progress):
    """`count` confirmed "each answer" subscribers of `column`, written in bulk. Kept between
    runs: written again only when the kept number differs. Returns the seconds it took, or
    None when the kept ones were used."""
    from django.db import transaction
    from django.utils import timezone

    from newsletter.models import Cadence, Subscriber, Subscription

    kept = Subscription.objects.filter(
        column=column, cadence=Cadence.EACH, subscriber__state=Subscriber.State.ACTIVE
    ).count()
    if kept == count and Subscriber.objects.count() == count:
        progress(f"using the kept {count:,} subscribers")
        return None
    progress(f"writing {count:,} subscribers")
    clock = time.perf_counter()
    Subscriber.objects.all().delete()
    now = timezone.now()
    for start in range(0, count, ROWS):
        with transaction.atomic():
            made = Subscriber.objects.bulk_create(
                Subscriber(
                    address=f"Reader.{n}@example.com",
                    key=f"reader.{n}@example.com",
                    state=Subscriber.State.ACTIVE,
                    confirmed_at=now,
                )
                for n in range(start, min(start + ROWS, count))
            )
            Subscription.objects.bulk_create(
                Subscription(subscriber_id=s.pk, column=column, cadence=Cadence.EACH) for s in made
            )
    return time.perf_counter() - clock


def forget_earlier_runs():
    """Letters, issues, deliveries and queued tasks an earlier run left: each run starts with
    none, so every figure is of this run's one issue."""
    from django_tasks_db.models import DBTaskResult

    from advice.models import LetterPage
    from newsletter.models import Delivery, Issue
    from outbox.delivery import BACKEND

    Delivery.objects.all().delete()
    Issue.objects.all().delete()
    DBTaskResult.objects.filter(backend_name=BACKEND).delete()
    for letter in LetterPage.objects.filter(slug__startswith=LETTER_PREFIX):
        letter.delete()


def draft_letter(column, columnist, number):
    """A letter saved as a draft (never published), dated today."""
    from advice.models import LetterPage

    letter = LetterPage(
        title=f"Can I return a bag I used once? ({number})",
        slug=f"{LETTER_PREFIX}{number}",
        letter="<p>I carried it to one dinner and now I regret it.</p>",
        pen_name="Regretful",
        sign_off="Good luck!",
        date=datetime.date.today(),
        live=False,
    )
    column.add_child(instance=letter)
    letter.save_revision()
    return letter


def publish_form(letter, columnist):
    """The edit form's POST with "Publish" pressed, as Wagtail's admin sends it."""
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    form = nested_form_data(
        {
            "title": letter.title,
            "slug": letter.slug,
            "dek": "A reader wonders about a return.",
            "letter": rich_text("<p>I carried it to one dinner and now I regret it.</p>"),
            "pen_name": "Regretful",
            "salutation": "",
            "answer": streamfield(
                [("paragraph", rich_text("<p>Ask the boutique kindly, and soon.</p>"))]
            ),
            "sign_off": "Good luck!",
            "columnist": columnist.pk,
            "date": letter.date.isoformat(),
            "related_links": inline_formset([]),
        }
    )
    form["action-publish"] = "1"
    return form


def publish(client, letter, columnist):
    """POST the admin's publish of `letter`; returns the request's seconds. Anything but the
    admin's redirect, or a letter left unpublished, stops the benchmark."""
    from advice.models import LetterPage

    url = f"/admin/pages/{letter.pk}/edit/"
    form = publish_form(letter, columnist)
    clock = time.perf_counter()
    response = client.post(url, form)
    seconds = time.perf_counter() - clock
    if response.status_code != 302 or not LetterPage.objects.get(pk=letter.pk).live:
        raise SystemExit(f"POST {url} answered {response.status_code}: nothing was published.")
    return seconds


def keep_only_issue(issue):
    """Drop the queued fan-outs of every issue but `issue`: the timed publishes each queued
    one, and the worker is to send one issue."""
    from django_tasks_db.models import DBTaskResult

    from newsletter.models import Issue
    from outbox.delivery import BACKEND

    for result in DBTaskResult.objects.filter(backend_name=BACKEND):
        if result.args_kwargs["args"] != [issue.pk]:
            result.delete()
    Issue.objects.exclude(pk=issue.pk).delete()


def work_until_done(keep_recipients=False):
    """The email worker's loop (django-tasks-db's Worker.run_task, as `manage.py email_worker`
    runs it) over every queued task, fan-out and sending alike, the console backend's output
    counted, not printed. Returns each task's path, wall-clock span and the memory after it."""
    import contextlib

    from django_tasks_db.models import DBTaskResult

    from outbox.delivery import BACKEND
    from testing.mail import task_worker

    stream = CountingStream(keep_recipients)
    worker = task_worker("bench-newsletter-worker")
    report = {"memory_start": rss_kb(), "tasks": []}
    ready = DBTaskResult.objects.ready().filter(backend_name=BACKEND)
    with contextlib.redirect_stdout(stream):
        while (result := ready.first()) is not None:
            result.claim(worker.worker_id)
            started = time.time()
            worker.run_task(result)
            result.refresh_from_db()
            report["tasks"].append(
                {
                    "task": result.task_path.rsplit(".", 1)[-1],
                    "status": result.status,
                    "started": started,
                    "ended": time.time(),
                    "return": result.return_value,
                    "memory": rss_kb(),
                }
            )
    report["emails"] = stream.messages
    report["recipients"] = stream.recipients
    report["memory_end"] = rss_kb()
    return report


def delivery_counts(issue):
    """The issue's deliveries by state, and how many distinct subscribers they name."""
    from django.db.models import Count

    from newsletter.models import Delivery

    rows = Delivery.objects.filter(issue=issue)
    states = dict(rows.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return {
        "rows": rows.count(),
        "subscribers": rows.values("subscriber_id").distinct().count(),
        "states": states,
    }
