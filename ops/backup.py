"""Back up and restore the site: its database and its media (uploaded images and documents),
in one archive. `make backup` and `make restore BACKUP=…` call this; docs/operations.md says when.

    python ops/backup.py backup  [--database-url URL] [--media DIR] [--out DIR]
    python ops/backup.py restore ARCHIVE [--database-url URL] [--media DIR] [--force]

DATABASE_URL and MEDIA_ROOT come from the environment when not given (as the settings read
them); without them, the `make run` site: db.sqlite3 and media/ in the project folder.

- SQLite: a consistent copy through SQLite's online backup API (safe while the site runs).
- PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore` (the client tools of the
  server's major version or newer: Debian's postgresql-client).

The archive (pursebop-YYYYmmdd-HHMMSS.tar.gz) holds manifest.json (when, which engine, row
counts of every table, the size and SHA-256 of every media file), the database and media/.
It holds password hashes, readers' addresses and private documents, so it is written 0600 in a
folder only its owner may open (0700; a folder others may open is refused, never changed).
Signed-in sessions and finished task results (emails sent or given up) are left out of it;
emails still waiting to be sent stay in, so a restore loses no mail (docs/operations.md).
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
import stat
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script (python ops/backup.py): the project's folder
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ops.databases import (
    LEFT_OUT,
    WAITING_TASKS_FILE,
    BackupError,
    dump_database,
    engine_of,
    restore_database,
    table_counts,
)

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 2  # 2: sessions and finished task results left out; PostgreSQL's waiting tasks apart
READABLE_FORMATS = (1, 2)
KEY_TABLES = {
    "letters": "advice_letterpage",
    "replies": "comments_reply",
    "reader letters": "mailbag_readerletter",
    "images": "wagtailimages_image",
    "pages": "wagtailcore_page",
}

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


def private_folder(out):
    """`out`, made 0700 if it is new. An existing folder that others may open is refused, not
    changed: it may be shared on purpose, and the archives already in it are readable."""
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        out.mkdir(mode=0o700)
        out.chmod(0o700)  # mkdir's mode passes through the umask; this cannot widen it
        return out
    if not out.is_dir():
        raise BackupError(f"{out} is not a folder")
    mode = stat.S_IMODE(out.stat().st_mode)
    if mode & 0o077:
        raise BackupError(
            f"{out} can be opened by other users (mode {mode:04o}) and an archive holds "
            f"password hashes, readers' addresses and private documents. Make it private "
            f"first (chmod 700 {out}; chmod 600 {out}/*.tar.gz for archives made before), "
            f"or name another folder with --out."
        )
    return out


def private_file(folder, stem):
    """A new archive `folder/stem.tar.gz` (or stem-2, -3… when a backup of the same second
    exists): opened for writing, created 0600 whatever the umask, never an existing file or a
    link (O_EXCL). Returns (path, file)."""
    for n in range(1, 100):
        path = folder / (f"{stem}.tar.gz" if n == 1 else f"{stem}-{n}.tar.gz")
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        return path, os.fdopen(handle, "wb")
    raise BackupError(f"{folder} already has 99 archives named {stem}*")


def backup(url, media, out):
    out = private_folder(out)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory(prefix="pursebop-backup-") as scratch:
        scratch = Path(scratch)
        database_file = dump_database(url, scratch)
        if engine_of(url) == "sqlite":  # what the archive holds, not the site's database
            counts = table_counts(f"sqlite:///{scratch / database_file}")
        else:
            counts = json.loads((scratch / "counts.json").read_text())
        files = media_files(media)
        manifest = {
            "format": FORMAT,
            "created": stamp,
            "engine": engine_of(url),
            "database_file": database_file,
            "left_out": LEFT_OUT,
            "tables": counts,
            "summary": {key: counts.get(table, 0) for key, table in KEY_TABLES.items()},
            "media": {
                path: {"size": size, "sha256": digest} for path, (size, digest) in files.items()
            },
        }
        (scratch / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        archive, file = private_file(out, f"pursebop-{stamp}")
        with file, tarfile.open(fileobj=file, mode="w:gz") as tar:
            tar.add(scratch / "manifest.json", arcname="manifest.json")
            tar.add(scratch / database_file, arcname=database_file)
            if (scratch / WAITING_TASKS_FILE).exists():
                tar.add(scratch / WAITING_TASKS_FILE, arcname=WAITING_TASKS_FILE)
            if media.exists():
                tar.add(media, arcname="media")
    return archive, manifest


def restore(archive, url, media, force):
    with tempfile.TemporaryDirectory(prefix="pursebop-restore-") as scratch:
        scratch = Path(scratch)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(scratch, filter="data")  # no absolute paths, links or ../ escapes
        manifest = json.loads((scratch / "manifest.json").read_text())
        if manifest.get("format") not in READABLE_FORMATS:
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
        restore_database(
            url, scratch / manifest["database_file"], force, scratch / WAITING_TASKS_FILE
        )
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
