"""Back up and restore the site: its database and its media (uploaded images and documents),
in one archive. `make backup` and `make restore BACKUP=…` call this; the README says when.

    python ops/backup.py backup  [--database-url URL] [--media DIR] [--out DIR]
    python ops/backup.py restore ARCHIVE [--database-url URL] [--media DIR] [--force]

DATABASE_URL and MEDIA_ROOT come from the environment when not given (as the settings read
them); without them, the `make run` site: db.sqlite3 and media/ in the project folder.

- SQLite: a consistent copy through SQLite's online backup API (safe while the site runs).
- PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore` (the client tools of the
  server's major version or newer: Debian's postgresql-client).

The archive (pursebop-YYYYmmdd-HHMMSS.tar.gz) holds manifest.json (when, which engine, row
counts of every table, the size and SHA-256 of every media file), the database and media/.
A restore refuses to overwrite a database that has tables, unless --force; onto an empty
machine it is one command, and the site then starts with `make run` as usual.

Needs only Python's standard library and psycopg (for PostgreSQL); Django is not imported, so
it runs without the site's settings or secret key.
"""

import argparse
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 1
KEY_TABLES = {
    "letters": "advice_letterpage",
    "replies": "comments_reply",
    "reader letters": "mailbag_submission",
    "images": "wagtailimages_image",
    "pages": "wagtailcore_page",
}


class BackupError(Exception):
    pass


# --- Databases ---------------------------------------------------------------------------------


def engine_of(url):
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgres", "postgresql", "pgsql"):
        return "postgresql"
    raise BackupError(f"unsupported DATABASE_URL scheme {scheme!r} (sqlite or postgres)")


def sqlite_path(url):
    """sqlite:////abs/path or sqlite:///relative: the file, as dj-database-url reads it."""
    path = urlparse(url).path
    path = path[1:] if path.startswith("/") else path
    if not path or path == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(unquote(path)) if path.startswith("/") else ROOT / unquote(path)


def libpq_url(url, dbname=None):
    """The URL as pg_dump/psql read it (postgresql://), optionally for another database."""
    parts = urlparse(url)
    path = f"/{dbname}" if dbname is not None else parts.path
    return urlunparse(parts._replace(scheme="postgresql", path=path))


def pg_name(url):
    return unquote(urlparse(url).path.lstrip("/"))


def tool(name):
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: on Debian/Ubuntu, apt-get install postgresql-client"
        )
    return found


def table_counts(url):
    """{table: rows} for every table of the site's database."""
    if engine_of(url) == "sqlite":
        with sqlite3.connect(sqlite_path(url)) as db:
            names = [
                row[0]
                for row in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            return {
                name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
            }
    import psycopg

    with psycopg.connect(libpq_url(url)) as db:
        names = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def dump_database(url, folder):
    """Write the database into `folder`; return the file's name."""
    if engine_of(url) == "sqlite":
        source_path = sqlite_path(url)
        if not source_path.exists():
            raise BackupError(f"no database at {source_path}")
        target = folder / "database.sqlite3"
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # consistent even while the site writes (WAL)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
            source.close()
        return target.name
    target = folder / "database.pgdump"
    subprocess.run(
        [
            tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            libpq_url(url),
        ],
        check=True,
    )
    return target.name


def database_has_tables(url):
    if engine_of(url) == "sqlite":
        path = sqlite_path(url)
        return path.exists() and bool(table_counts(url))
    import psycopg

    try:
        with psycopg.connect(libpq_url(url)) as db:
            return (
                db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[
                    0
                ]
                > 0
            )
    except psycopg.OperationalError as error:
        if "does not exist" in str(error):
            return False
        raise


def restore_database(url, dumped, force):
    if database_has_tables(url) and not force:
        raise BackupError(
            "the database already has tables: restoring would overwrite it (use --force "
            "to replace it, after making a backup of it)"
        )
    if engine_of(url) == "sqlite":
        target = sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        source = sqlite3.connect(f"file:{dumped}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=WAL")  # as the site runs it
        finally:
            copy.close()
            source.close()
        return
    import psycopg
    from psycopg import sql

    name = pg_name(url)
    with psycopg.connect(libpq_url(url, "postgres"), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and force:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run(
        [
            tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            libpq_url(url),
            str(dumped),
        ],
        check=True,
    )


# --- Media -------------------------------------------------------------------------------------


def media_files(media):
    """{relative path: (size, sha256)} of every file under `media`."""
    files = {}
    if not media.exists():
        return files
    for path in sorted(media.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            files[path.relative_to(media).as_posix()] = (path.stat().st_size, digest)
    return files


# --- Backup and restore ------------------------------------------------------------------------


def backup(url, media, out):
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    archive = out / f"pursebop-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="pursebop-backup-") as scratch:
        scratch = Path(scratch)
        database_file = dump_database(url, scratch)
        counts = table_counts(url)
        files = media_files(media)
        manifest = {
            "format": FORMAT,
            "created": stamp,
            "engine": engine_of(url),
            "database_file": database_file,
            "tables": counts,
            "summary": {key: counts.get(table, 0) for key, table in KEY_TABLES.items()},
            "media": {
                path: {"size": size, "sha256": digest} for path, (size, digest) in files.items()
            },
        }
        (scratch / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(scratch / "manifest.json", arcname="manifest.json")
            tar.add(scratch / database_file, arcname=database_file)
            if media.exists():
                tar.add(media, arcname="media")
    return archive, manifest


def restore(archive, url, media, force):
    with tempfile.TemporaryDirectory(prefix="pursebop-restore-") as scratch:
        scratch = Path(scratch)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(scratch, filter="data")  # no absolute paths, links or ../ escapes
        manifest = json.loads((scratch / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown archive format {manifest.get('format')!r}")
        if manifest["engine"] != engine_of(url):
            raise BackupError(
                f"the archive holds a {manifest['engine']} database; DATABASE_URL is "
                f"{engine_of(url)} (restore it onto the same engine)"
            )
        restored_media = media_files(scratch / "media")
        expected = {p: (m["size"], m["sha256"]) for p, m in manifest["media"].items()}
        if restored_media != expected:
            raise BackupError("the archive's media files do not match its manifest")
        restore_database(url, scratch / manifest["database_file"], force)
        if (scratch / "media").exists():
            shutil.copytree(scratch / "media", media, dirs_exist_ok=True)
    counts = table_counts(url)
    if counts != manifest["tables"]:
        different = {
            table: (rows, counts.get(table))
            for table, rows in manifest["tables"].items()
            if counts.get(table) != rows
        }
        raise BackupError(f"restored row counts differ from the backup's: {different}")
    restored = media_files(media)
    missing = {p for p, check in expected.items() if restored.get(p) != check}
    if missing:
        raise BackupError(f"media files not restored intact: {sorted(missing)[:5]}")
    return manifest


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    default_url = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'db.sqlite3'}"
    default_media = os.environ.get("MEDIA_ROOT") or str(ROOT / "media")
    for name in ("backup", "restore"):
        command = sub.add_parser(name)
        command.add_argument("--database-url", default=default_url)
        command.add_argument("--media", default=default_media)
        if name == "backup":
            command.add_argument("--out", default=str(ROOT / "backups"))
        else:
            command.add_argument("archive")
            command.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            archive, manifest = backup(args.database_url, Path(args.media), Path(args.out))
            summary = manifest["summary"]
            sys.stdout.write(
                f"Backed up to {archive} ({archive.stat().st_size:,} bytes): "
                f"{summary['letters']} letters, {summary['replies']} replies, "
                f"{summary.get('reader letters', 0)} reader letters, "
                f"{summary['images']} images, {len(manifest['media'])} media files, "
                f"{len(manifest['tables'])} tables.\n"
            )
        else:
            manifest = restore(Path(args.archive), args.database_url, Path(args.media), args.force)
            summary = manifest["summary"]
            sys.stdout.write(
                f"Restored {args.archive} (made {manifest['created']} UTC): "
                f"{summary['letters']} letters, {summary['replies']} replies, "
                f"{summary.get('reader letters', 0)} reader letters, "
                f"{summary['images']} images, {len(manifest['media'])} media files; every "
                f"table's row count and every media file's checksum match the backup.\n"
            )
    except (BackupError, subprocess.CalledProcessError) as error:
        sys.stderr.write(f"{args.command} failed: {error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
