"""A site on a SQLite file whose write lock another connection holds: what readers get while a
writer keeps the database busy (a long migration, a stuck worker), with no mock in between.

The tests call `build(path)` once (the migrations take most of a minute), then `run(path,
scenario)` on a copy for each scenario. Both start `python -m testing.locked_sqlite` with
DATABASE_URL pointing at the file and without REDIS_URL (the cache is the settings' default),
so each scenario is a fresh process whose caches are empty, as a newly started worker's are.
A scenario prints one JSON line: statuses, timings and what the pages said.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULT = "RESULT "
TOKEN = "locked-sqlite-diagnostics"  # HEALTH_DIAGNOSTICS_TOKEN in the scenarios' processes


# --- The tests' side -----------------------------------------------------------------------


def _call(path, action, timeout):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{path}",
        "REDIS_URL": "",
        "HEALTH_DIAGNOSTICS_TOKEN": TOKEN,
    }
    result = subprocess.run(
        [sys.executable, "-m", "testing.locked_sqlite", action, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith(RESULT)]
    assert result.returncode == 0 and lines, f"{action} failed:\n{result.stderr[-4000:]}"
    return json.loads(lines[-1].removeprefix(RESULT))


def build(path):
    """Migrate a new SQLite file and publish a small site in it; return its addresses."""
    return _call(path, "build", timeout=600)


def run(built, workdir, scenario):
    """Run `scenario` on a copy of the built file (scenarios write; the original stays)."""
    copy = Path(workdir) / "site.sqlite3"
    shutil.copyfile(built, copy)
    return _call(copy, scenario, timeout=300)


# --- The worker's side ---------------------------------------------------------------------


@contextmanager
def write_lock(path):
    """Another connection holding SQLite's write lock (BEGIN IMMEDIATE) until the block ends."""
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()


def timed(call):
    started = time.perf_counter()
    response = call()
    return response, round(time.perf_counter() - started, 3)


def _build(path):
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from wagtail.models import Site

    from advice.models import AdviceIndexPage, HomePage, LetterPage
    from testing.pages import answer, ensure_page_tree_root, publish_child

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)  # a no-op unless CACHES names a table
    home = publish_child(ensure_page_tree_root(), HomePage(title="Dear PurseBop", slug="pursebop"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "testserver", "port": 80}
    )
    column = publish_child(home, AdviceIndexPage(title="Dear PurseBop", slug="dear-pursebop"))
    letter = publish_child(
        column,
        LetterPage(
            title="Should I keep a bag with a crooked strap?",
            slug="crooked-strap",
            letter="<p>The strap sits crooked.</p>",
            pen_name="Crooked",
            answer=answer("Send it back."),
            date=timezone.localdate(),
        ),
    )
    urls = {"home": home.url, "column": column.url, "letter": letter.url}
    cache.clear()  # scenarios start cold, as after a deploy (a cache in the database included)
    with connection.cursor() as cursor:  # everything in the main file, so a copy is whole
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return urls


def _page_views(path):
    """Public pages while another connection holds the write lock."""
    from django.test import Client

    from advice.models import AdviceIndexPage, HomePage, LetterPage

    urls = [
        HomePage.objects.get().url,
        AdviceIndexPage.objects.get().url,
        LetterPage.objects.get().url,
        "/search/?q=strap",
    ]
    client = Client(raise_request_exception=False)
    views = []
    with write_lock(path):
        for url in urls:
            response, seconds = timed(lambda url=url: client.get(url))
            views.append({"url": url, "status": response.status_code, "seconds": seconds})
    return {"views": views}


def _healthz(path):
    """The health checks while another connection holds the write lock, then once it is
    released: liveness (/healthz) and diagnostics (/healthz/diagnostics, with the token; the
    email worker's beat is fresh, so only the database can fail it)."""
    from django.test import Client
    from django.utils import timezone

    from outbox.models import WorkerBeat

    now = timezone.now()
    WorkerBeat.objects.create(backend="email", beat_at=now, started_at=now)
    client = Client(raise_request_exception=False, headers={"X-Health-Token": TOKEN})
    diagnostics = "/healthz/diagnostics"
    with write_lock(path):
        alive, alive_seconds = timed(lambda: client.get("/healthz"))
        locked, locked_seconds = timed(lambda: client.get(diagnostics))
        head, _ = timed(lambda: client.head(diagnostics))
    free, free_seconds = timed(lambda: client.get(diagnostics))
    return {
        "alive": {"status": alive.status_code, "seconds": alive_seconds},
        "locked": {
            "status": locked.status_code,
            "seconds": locked_seconds,
            "body": locked.content.decode(),
        },
        "locked_head": {"status": head.status_code, "body": head.content.decode()},
        "free": {
            "status": free.status_code,
            "seconds": free_seconds,
            "body": free.content.decode(),
        },
    }


def _post(path):
    """A reply posted while another connection holds the write lock (a 2 s busy timeout
    here, not the settings' 20 s, to keep the test short), then the page's form sent again
    once the lock is released."""
    from bs4 import BeautifulSoup
    from django.db import connection
    from django.test import Client

    from advice.models import LetterPage
    from comments.models import Reply
    from testing.replies import reply_form_data

    letter = LetterPage.objects.get()
    data = reply_form_data(letter, name="Locked Out", comment="Mine came crooked too.\n\nKeep it.")
    connection.close()
    connection.settings_dict["OPTIONS"]["timeout"] = 2
    client = Client(raise_request_exception=False)
    with write_lock(path):
        response, seconds = timed(lambda: client.post("/replies/post/", data))
    connection.close()  # the failed connection is dropped, as at the end of a real request
    page = BeautifulSoup(response.content, "html.parser")
    form = page.select_one("form[data-reply-form]")
    fields = {}
    if form is not None:
        fields = {
            field["name"]: field.get("value", "")
            for field in form.select("input")
            if field.get("name") and field.get("type") != "checkbox"
        }
        fields["comment"] = form.find("textarea", attrs={"name": "comment"}).get_text()
    stored_while_locked = Reply.objects.count()
    again = client.post("/replies/post/", fields) if fields else None
    alert = page.select_one("[role=alert]")
    return {
        "status": response.status_code,
        "seconds": seconds,
        "retry_after": response.get("Retry-After"),
        "alert": " ".join(alert.get_text().split()) if alert else "",
        "fields": fields,
        "stored_while_locked": stored_while_locked,
        "again_status": again.status_code if again is not None else None,
        "stored": list(Reply.objects.values_list("user_name", "comment")),
    }


SCENARIOS = {"build": _build, "page_views": _page_views, "healthz": _healthz, "post": _post}


def main():
    action, path = sys.argv[1], sys.argv[2]
    import django

    django.setup()
    result = SCENARIOS[action](path)
    sys.stdout.write(RESULT + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
