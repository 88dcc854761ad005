"""The backup round-trip tests' helpers: a demo site built in a scratch folder (its own SQLite
file and media folder, as `make run` builds it), every table's rows read for comparison, and
the restored site served page by page.

`python -m testing.backups pages` (with DATABASE_URL and MEDIA_ROOT set) prints one JSON line:
each live letter's status, how many of its approved replies' names its page shows, and the
status of each original image's file; `python -m testing.backups letters` adds readers'
letters to the demo site through the form."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def site_env(database_url, media):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "REDIS_URL": "",
        "DJANGO_ALLOWED_HOSTS": "testserver,localhost",
    }
    return env


def manage(env, *args, timeout=600):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-4000:]}"
    return result.stdout


def build_demo_site(database_url, media):
    """Migrate and load the demo content (letters, replies, images), as `make run` does, then
    readers' letters sent through the form (`add_reader_letters`)."""
    env = site_env(database_url, media)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_initial_data")
    result = subprocess.run(
        [sys.executable, "-m", "testing.backups", "letters"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]


def add_reader_letters():
    """Four readers' letters sent through the write-in form's view (a write-in page made for
    the demo's column): one left new, one declined with the kind email, one made into a
    draft letter that is published (the writer told, the email queued), one shortlisted with
    its draft unpublished. Returns how many letters are stored."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from advice.models import AdviceIndexPage
    from mailbag import drafts, lifecycle
    from mailbag.models import ReaderLetter
    from testing.letters import add_write_in_page, letter_data
    from testing.pages import answer

    column = AdviceIndexPage.objects.live().first()
    page = add_write_in_page(column, slug="write-to-us")
    client = Client()
    texts = [
        ("Still new", "My tote's lining tore.\n\nCan it be replaced without new stitching?"),
        ("Declined Dot", "Which colour should I buy?"),
        ("Answered Ann", "Is a 1990s frame bag worth restoring, or is it a money pit?"),
        ("Drafted Dee", "How do I store a structured bag for a whole summer?"),
    ]
    for n, (pen_name, text) in enumerate(texts):
        response = client.post(
            reverse("mailbag-send", args=[page.pk]),
            letter_data(pen_name=pen_name, letter=text, topic=""),
            REMOTE_ADDR=f"192.0.2.{n + 10}",
        )
        assert response.status_code == 302, response.status_code
    editor = get_user_model().objects.filter(is_superuser=True).first()
    by_name = {s.pen_name: s for s in ReaderLetter.objects.filter(page=page)}
    lifecycle.decline(by_name["Declined Dot"], editor, send_email=True)
    answered = drafts.create_draft(by_name["Answered Ann"], editor)
    answered.answer = answer("Restore it: frames are the hard part, and yours is sound.")
    answered.save_revision(user=editor).publish()
    drafts.create_draft(by_name["Drafted Dee"], editor)
    return ReaderLetter.objects.count()


# What an archive keeps of the two tables it prunes (ops.databases.LEFT_OUT).
ARCHIVED = {
    "django_session": "WHERE false",
    "django_tasks_database_dbtaskresult": "WHERE status NOT IN ('SUCCESSFUL', 'FAILED')",
}


def _rows(db, table, archived):
    where = ARCHIVED.get(table, "") if archived else ""
    return sorted(map(repr, db.execute(f'SELECT * FROM "{table}" {where}')))


def sqlite_rows(path, archived=False):
    """{table: sorted rows} of a SQLite file; `archived`: only the rows a backup keeps."""
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {table: _rows(db, table, archived) for table in tables}


def postgresql_rows(url, archived=False):
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
        tables = [
            row[0]
            for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {table: _rows(db, table, archived) for table in tables}


def add_sessions_and_finished_tasks(db):
    """What a backup must leave out, added to a built site through `db` (a sqlite3 or
    psycopg connection; committed by the caller): a signed-in session, and two copies of a
    waiting email's task result, one sent and one given up. Needs a waiting email (the
    demo's readers' letters queue some)."""
    import uuid

    mark = "?" if isinstance(db, sqlite3.Connection) else "%s"
    db.execute(
        "INSERT INTO django_session (session_key, session_data, expire_date) "
        f"VALUES ({mark}, {mark}, {mark})",
        ("s" * 32, "a superuser's session", "2999-01-01 00:00:00+00:00"),
    )
    table = "django_tasks_database_dbtaskresult"
    columns = [column[0] for column in db.execute(f"SELECT * FROM {table} LIMIT 0").description]
    for status in ("SUCCESSFUL", "FAILED"):
        copied = {"id": mark, "status": mark, "started_at": "enqueued_at"}
        copied["finished_at"] = "enqueued_at"
        db.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(copied.get(column, column) for column in columns)} "
            f"FROM {table} WHERE status = 'READY' LIMIT 1",
            (uuid.uuid4().hex if mark == "?" else uuid.uuid4(), status),
        )


def pruned_counts(db):
    """(sessions, finished task results, waiting task results) in `db` (sqlite3 or psycopg)."""

    def count(sql):
        return db.execute(sql).fetchone()[0]

    tasks = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status"
    return (
        count("SELECT count(*) FROM django_session"),
        count(f"{tasks} IN ('SUCCESSFUL', 'FAILED')"),
        count(f"{tasks} NOT IN ('SUCCESSFUL', 'FAILED')"),
    )


def served_pages(database_url, media):
    """The restored site, served: see the module's docstring."""
    result = subprocess.run(
        [sys.executable, "-m", "testing.backups", "pages"],
        cwd=ROOT,
        env=site_env(database_url, media),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _pages():
    import django

    django.setup()
    from django.test import Client
    from django.utils.html import escape
    from wagtail.images import get_image_model

    from advice.models import LetterPage
    from comments.models import Reply

    client = Client()
    letters = {}
    for letter in LetterPage.objects.live():
        response = client.get(letter.url)
        names = set(
            Reply.objects.filter(object_pk=str(letter.pk), status="approved").values_list(
                "user_name", flat=True
            )
        )
        shown = sum(escape(name) in response.content.decode() for name in names)
        letters[letter.url] = [response.status_code, shown, len(names)]
    images = {}
    for image in get_image_model().objects.all():
        images[image.file.name] = client.get(f"/media/{image.file.name}").status_code
    sys.stdout.write(json.dumps({"letters": letters, "images": images}) + "\n")


if __name__ == "__main__" and sys.argv[1:] == ["pages"]:
    _pages()
elif __name__ == "__main__" and sys.argv[1:] == ["letters"]:
    import django

    django.setup()
    sys.stdout.write(f"{add_reader_letters()} reader letters\n")
