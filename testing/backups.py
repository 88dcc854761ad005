"""The backup round-trip tests' helpers: a demo site built in a scratch folder (its own SQLite
file and media folder, as `make run` builds it), every table's rows read for comparison, and
the restored site served page by page.

`python -m testing.backups pages` (with DATABASE_URL and MEDIA_ROOT set) prints one JSON line:
each live letter's status, how many of its approved replies' names its page shows, and the
status of each original image's file."""

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
    """Migrate and load the demo content (letters, replies, images), as `make run` does."""
    env = site_env(database_url, media)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_initial_data")


def sqlite_rows(path):
    """{table: sorted rows} of a SQLite file."""
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: sorted(map(repr, db.execute(f'SELECT * FROM "{table}"'))) for table in tables
        }


def postgresql_rows(url):
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
        tables = [
            row[0]
            for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {
            table: sorted(map(repr, db.execute(f'SELECT * FROM "{table}"'))) for table in tables
        }


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
