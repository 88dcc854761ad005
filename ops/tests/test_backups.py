"""Backups (ops/backup.py, `make backup` / `make restore`; marker `attack`): the demo site
(with readers' letters sent through the form: new, declined, answered and drafted) backed up
and restored onto an empty machine, every table's rows and every media file intact, and the
restored site serving every letter with its replies and every image. What an archive must
not hold stays out of it: signed-in sessions and finished task results (emails still waiting
are kept); the archive is 0600 in a 0700 folder, whatever the umask.

SQLite always (a demo site built in a scratch folder); PostgreSQL when the test database is
PostgreSQL (the PostgreSQL/Redis lane), restored into a database of its own, then dropped."""

import json
import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

from ops import backup, databases
from testing import backups, servers
from testing.output import say

pytestmark = [pytest.mark.attack]


def run(*args):
    result = subprocess.run(
        [sys.executable, "ops/backup.py", *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result


def archive_in(folder):
    (archive,) = folder.glob("pursebop-*.tar.gz")
    return archive


def test_sqlite_demo_site_round_trips_onto_an_empty_machine(tmp_path, pytestconfig):
    if connection.vendor == "postgresql":
        # Not the database under test: the SQLite lane (make test) runs this one.
        pytest.skip("the SQLite round trip runs in the SQLite lane (make test)")
    source_db, source_media = tmp_path / "site" / "db.sqlite3", tmp_path / "site" / "media"
    source_db.parent.mkdir()
    source_url = f"sqlite:///{source_db}"
    backups.build_demo_site(source_url, source_media)
    with sqlite3.connect(source_db) as db:
        backups.add_sessions_and_finished_tasks(db)
        sessions, finished, waiting = backups.pruned_counts(db)
    assert sessions >= 1 and finished >= 2 and waiting >= 1

    made = run(
        "backup",
        "--database-url",
        source_url,
        "--media",
        str(source_media),
        "--out",
        str(tmp_path / "backups"),
    )
    assert made.returncode == 0, made.stderr
    archive = archive_in(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["summary"]["letters"] >= 10 and manifest["summary"]["replies"] >= 5
    assert manifest["summary"]["images"] >= 5 and manifest["media"]
    assert manifest["summary"]["reader letters"] == 4

    # An empty machine: no database file, no media folder. One command.
    empty = tmp_path / "empty"
    target_db, target_media = empty / "db.sqlite3", empty / "media"
    target_url = f"sqlite:///{target_db}"
    restored = run(
        "restore", str(archive), "--database-url", target_url, "--media", str(target_media)
    )
    assert restored.returncode == 0, restored.stderr
    assert backups.sqlite_rows(target_db) == backups.sqlite_rows(source_db, archived=True)
    with sqlite3.connect(target_db) as db:
        assert backups.pruned_counts(db) == (0, 0, waiting)  # no mail lost, none kept sent
    assert backup.media_files(target_media) == backup.media_files(source_media)

    pages = backups.served_pages(target_url, target_media)
    assert {status for status, _, _ in pages["letters"].values()} == {200}
    assert all(shown == total for _, shown, total in pages["letters"].values()), pages
    assert set(pages["images"].values()) == {200}

    again = run("restore", str(archive), "--database-url", target_url, "--media", str(target_media))
    assert again.returncode == 1 and "already has tables" in again.stderr
    summary = manifest["summary"]
    say(
        pytestconfig,
        f"backup (SQLite): {archive.stat().st_size:,} bytes; {summary['letters']} letters, "
        f"{summary['replies']} replies, {summary['reader letters']} reader letters, "
        f"{summary['images']} images, "
        f"{len(manifest['media'])} media files, {len(manifest['tables'])} tables -> restored "
        f"onto an empty folder: every row and file identical, {len(pages['letters'])} letter "
        f"pages and {len(pages['images'])} images served",
    )


def small_site(tmp_path):
    """A database of one table and a media folder of one image."""
    media = tmp_path / "media"
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "bag.png").write_bytes(b"png")
    db = tmp_path / "db.sqlite3"
    with sqlite3.connect(db) as handle:
        handle.execute("CREATE TABLE t (x)")
    return db, media


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """A umask that takes nothing away (0): what the archive's modes must not depend on."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_an_archive_is_private_to_its_owner_whatever_the_umask(tmp_path, open_umask):
    db, media = small_site(tmp_path)
    out = tmp_path / "backups" / "nightly"  # a new folder, and one above it
    archive, _ = backup.backup(f"sqlite:///{db}", media, out)
    assert mode(archive) == 0o600
    assert mode(out) == 0o700
    again, _ = backup.backup(f"sqlite:///{db}", media, out)  # an existing private folder: used
    assert again != archive and mode(again) == 0o600


def test_a_folder_others_may_open_is_refused_and_left_as_it_was(tmp_path, open_umask):
    db, media = small_site(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    made = run(
        "backup", "--database-url", f"sqlite:///{db}", "--media", str(media), "--out", str(shared)
    )
    assert made.returncode == 1
    assert "can be opened by other users (mode 0755)" in made.stderr
    assert f"chmod 700 {shared}" in made.stderr
    assert mode(shared) == 0o755 and not list(shared.iterdir())


def test_a_tampered_archive_is_refused(tmp_path):
    db, media = small_site(tmp_path)
    archive, _ = backup.backup(f"sqlite:///{db}", media, tmp_path / "out")
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name.endswith("bag.png"):
                member.size = 3
                data = __import__("io").BytesIO(b"gif")
            target.addfile(member, data)
    with pytest.raises(backup.BackupError, match="do not match"):
        backup.restore(tampered, f"sqlite:///{tmp_path / 'new.sqlite3'}", tmp_path / "m", False)


@pytest.fixture
def postgresql(pytestconfig):
    if connection.vendor != "postgresql":
        reason = "the PostgreSQL backup runs when DATABASE_URL is PostgreSQL (the PG/Redis lane)"
        say(pytestconfig, f"SKIPPED (backup): {reason}")
        pytest.skip(reason)


def test_postgresql_demo_site_round_trips_into_a_new_database(
    postgresql,
    transactional_db,
    django_db_serialized_rollback,
    email_queue,
    tmp_path,
    pytestconfig,
    settings,
):
    from demo.loader import load_demo_content
    from testing.pages import ensure_page_tree_root

    # The demo's images in a media folder of their own, not the tests' shared one; its emails
    # wait in the database (email_queue), as the worker finds them.
    settings.MEDIA_ROOT = media = tmp_path / "site-media"
    ensure_page_tree_root()  # an earlier flush may have taken Wagtail's root page
    load_demo_content()
    assert backups.add_reader_letters() == 4
    source_url = servers.database_url()
    with psycopg.connect(databases.libpq_url(source_url), autocommit=True) as db:
        backups.add_sessions_and_finished_tasks(db)
        sessions, finished, waiting = backups.pruned_counts(db)
    assert sessions >= 1 and finished >= 2 and waiting >= 1
    name = f"pursebop_restore_{uuid.uuid4().hex[:12]}"
    target_url = source_url.rsplit("/", 1)[0] + f"/{name}"
    params = connection.settings_dict
    admin_url = databases.libpq_url(source_url, "postgres")
    try:
        archive, manifest = backup.backup(source_url, media, tmp_path / "backups")
        restored = run(
            "restore",
            str(archive),
            "--database-url",
            target_url,
            "--media",
            str(tmp_path / "media"),
        )
        assert restored.returncode == 0, restored.stderr
        assert backups.postgresql_rows(target_url) == backups.postgresql_rows(
            source_url, archived=True
        )
        with psycopg.connect(databases.libpq_url(target_url)) as db:
            assert backups.pruned_counts(db) == (0, 0, waiting)
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600
        assert backup.media_files(tmp_path / "media") == backup.media_files(media)
        summary = manifest["summary"]
        assert summary["letters"] >= 10 and summary["replies"] >= 5 and summary["images"] >= 5
        assert summary["reader letters"] == 4
        say(
            pytestconfig,
            f"backup (PostgreSQL {params['NAME']}): {archive.stat().st_size:,} bytes; "
            f"{summary['letters']} letters, {summary['replies']} replies, "
            f"{summary['reader letters']} reader letters, "
            f"{summary['images']} images, {len(manifest['tables'])} tables -> restored into a "
            f"new database: every row and media file identical",
        )
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
