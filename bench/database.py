"""The benchmark's settings and database: a scratch SQLite file (configure), or the kept data
set (configure_kept, ensure_data) in bench/data/ or `<name>_bench` on PostgreSQL."""

import os
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.report import progress

ROOT = Path(__file__).resolve().parent.parent

# The test settings: DEBUG off (no query log, no debug pages, as in production), "testserver"
# allowed, fast password hashing, mail kept in memory. The dev settings have DEBUG on, which
# records every query, and do not allow django.test.Client's host.
SETTINGS = "config.settings.test"
LETTERS = int(os.environ.get("BENCH_LETTERS") or 10_000)
REPLIES = int(os.environ.get("BENCH_REPLIES") or 1_000)
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR") or ROOT / "bench" / "data")


def configure(scratch):
    """Point Django at a new SQLite file and media folder under `scratch`, then set it up."""
    database = scratch / "bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    # The settings read these two: a PostgreSQL URL or a shared Redis must be neither used
    # nor written to by a benchmark of the SQLite setup.
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.pop("REDIS_URL", None)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)

    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = str(database)
    settings.MEDIA_ROOT = scratch / "media"  # the demo's images and their renditions
    django.setup()

    from django.db import connection

    if Path(connection.settings_dict["NAME"]).resolve() != database.resolve():
        raise SystemExit(f"Refusing to run: the database is {connection.settings_dict['NAME']}")
    return database


def build_schema():
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def bench_database():
    """(kind, DATABASE_URL, name) of the benchmark's own database: `<name>_bench` on the
    PostgreSQL server DATABASE_URL names, or a SQLite file in DATA_DIR named by its size."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url and not url.startswith("sqlite"):
        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'postgres'}_bench"
        return "postgresql", urlunsplit(parts._replace(path=f"/{name}")), name
    path = DATA_DIR / f"site-{LETTERS}-{REPLIES}.sqlite3"
    return "sqlite", f"sqlite:///{path}", path


def postgres_admin(url):
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def create_postgres_database(url, name, drop=False):
    from psycopg import sql

    with postgres_admin(url) as admin:
        if drop:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def configure_kept(kind, url, name):
    """Django on the benchmark's database, with the test settings, the bench's URLs (the site's
    plus the trivial view) and its one-line page template; no Redis (clearing the caches must
    never empty someone's Redis database); rate limits raised for the timed reply posts."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ["RATE_LIMIT_MULTIPLIER"] = "1000000"
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    if kind == "postgresql":
        create_postgres_database(url, name)
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)

    import django
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.urls"
    settings.TEMPLATES[0]["DIRS"] = [ROOT / "bench" / "templates", *settings.TEMPLATES[0]["DIRS"]]
    settings.MEDIA_ROOT = DATA_DIR / "media"
    django.setup()

    from django.db import connection

    if kind == "sqlite" and Path(connection.settings_dict["NAME"]).resolve() != name.resolve():
        raise SystemExit(f"Refusing to run: the database is {connection.settings_dict['NAME']}")
    if kind == "postgresql" and connection.settings_dict["NAME"] != name:
        raise SystemExit(f"Refusing to run: the database is {connection.settings_dict['NAME']}")


def wipe(kind, url, name):
    """Start the kept database again (its data set is of an older shape)."""
    from django.db import connections

    connections.close_all()
    if kind == "postgresql":
        create_postgres_database(url, name, drop=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


def ensure_data(kind, url, name):
    """Migrate, and generate the data set unless the kept one matches. Returns the seconds
    generation took, or None when the kept data set was used."""
    from bench import data

    build_schema()
    wanted = data.describe(LETTERS, REPLIES)
    found = data.existing_description()
    if found == wanted:
        progress(f"using the kept data set ({wanted})")
        return None
    if found is not None:
        progress(f"the kept data set is '{found}': generating it again")
        wipe(kind, url, name)
        build_schema()
    progress(f"generating the data set ({wanted}), once")
    clock = time.perf_counter()
    data.build(LETTERS, REPLIES, progress)
    return time.perf_counter() - clock
