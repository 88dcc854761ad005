"""The databases side of ops/backup.py: a copy of the site's database without what an archive
must not hold, row counts, and the copy put back. SQLite through its online backup API;
PostgreSQL through pg_dump/pg_restore (its client tools) and psycopg.

Standard library and psycopg only: like backup.py, it runs without Django or the site's
settings."""

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
# What an archive leaves out: django.contrib.sessions' table and django_tasks_db's (its app
# label is django_tasks_database).
SESSIONS = "django_session"
TASKS = "django_tasks_database_dbtaskresult"
FINISHED = ("SUCCESSFUL", "FAILED")  # django_tasks' TaskResultStatus: done, kept or not
LEFT_OUT = {
    SESSIONS: "every row (signed-in sessions)",
    TASKS: "finished rows (status SUCCESSFUL or FAILED); waiting ones are kept",
}
WAITING_TASKS_FILE = "waiting-tasks.copy"


class BackupError(Exception):
    pass


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
        return postgresql_counts(db, postgresql_tables(db), archived=False)


def postgresql_tables(db):
    return [
        row[0]
        for row in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]


def postgresql_counts(db, names, archived=True):
    """{table: rows}; `archived`: what an archive holds (no sessions, no finished tasks)."""
    counts = {}
    for name in names:
        query = f'SELECT count(*) FROM "{name}"'
        if not archived:
            pass
        elif name == SESSIONS:
            query += " WHERE false"
        elif name == TASKS:
            query += f" WHERE status NOT IN ('{FINISHED[0]}', '{FINISHED[1]}')"
        counts[name] = db.execute(query).fetchone()[0]
    return counts


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
            leave_out_sqlite(copy)
        finally:
            copy.close()
            source.close()
        return target.name
    return dump_postgresql(url, folder)


def leave_out_sqlite(copy):
    """Delete what an archive must not hold from the copy, then VACUUM it: deleted rows would
    otherwise stay readable in the file's free pages."""
    tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    with copy:
        if SESSIONS in tables:
            copy.execute(f'DELETE FROM "{SESSIONS}"')
        if TASKS in tables:
            copy.execute(f'DELETE FROM "{TASKS}" WHERE status IN (?, ?)', FINISHED)
    copy.execute("VACUUM")


def dump_postgresql(url, folder):
    """pg_dump without the data of the sessions and task results tables, and the waiting task
    results copied apart, both from one snapshot (pg_dump cannot filter a table's rows).
    Returns the dump's file name; the waiting tasks, if the table exists, in
    WAITING_TASKS_FILE (COPY's text format). The row counts are read in the same snapshot."""
    import psycopg

    target = folder / "database.pgdump"
    with psycopg.connect(libpq_url(url), autocommit=True) as db:
        db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = db.execute("SELECT pg_export_snapshot()").fetchone()[0]
        subprocess.run(
            [
                tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--exclude-table-data={SESSIONS}",
                f"--exclude-table-data={TASKS}",
                "--file",
                str(target),
                libpq_url(url),
            ],
            check=True,
        )
        names = postgresql_tables(db)
        if TASKS in names:  # the statuses are constants of ours, never input
            query = (
                f'COPY (SELECT * FROM "{TASKS}" WHERE status NOT IN '
                f"('{FINISHED[0]}', '{FINISHED[1]}')) TO STDOUT"
            )
            with (
                open(folder / WAITING_TASKS_FILE, "wb") as out,
                db.cursor().copy(query) as copy,
            ):
                for data in copy:
                    out.write(data)
        counts = postgresql_counts(db, names)
        db.execute("COMMIT")
    (folder / "counts.json").write_text(json.dumps(counts))
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


def restore_database(url, dumped, force, waiting_tasks=None):
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
    if waiting_tasks is not None and waiting_tasks.exists():
        with (
            psycopg.connect(libpq_url(url)) as db,
            db.cursor().copy(f'COPY "{TASKS}" FROM STDIN') as copy,
        ):
            copy.write(waiting_tasks.read_bytes())
