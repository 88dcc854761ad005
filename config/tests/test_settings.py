"""Settings behaviour, checked in fresh interpreters: settings are read once, at start-up."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

REQUIRED = {
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "pursebop.example.com",
    "DATABASE_URL": "sqlite:////tmp/pursebop-settings-test.sqlite3",
    "NEWSLETTER_SUPPRESSION_KEY": "s" * 60,
}

PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
    "'cache': s.CACHES['default']['BACKEND'], 'rate_limit_store': s.RATE_LIMIT_STORE, "
    "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'debug': s.DEBUG, "
    "'admin_base_url': s.WAGTAILADMIN_BASE_URL, 'site_domain': s.SITE_DOMAIN}))"
)


def run_with(environment, code=PRINT_SETTINGS, settings_module="config.settings.production"):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in REQUIRED and key not in {"REDIS_URL", "DJANGO_LOCAL_HTTP"}
    }
    clean.update(environment, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_production_refuses_to_start_without_each_required_variable(missing):
    environment = {key: value for key, value in REQUIRED.items() if key != missing}
    result = run_with(environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"The environment variable {missing} is required" in result.stderr


def test_production_refuses_an_empty_required_variable():
    result = run_with({**REQUIRED, "DJANGO_ALLOWED_HOSTS": " , "})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is required" in result.stderr


def test_production_starts_with_the_required_variables_and_is_secure_by_default():
    result = run_with(REQUIRED)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["ssl_redirect"] is True
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["admin_base_url"] == "https://pursebop.example.com"
    assert values["site_domain"] == "pursebop.example.com"


def test_database_url_selects_postgresql():
    result = run_with({**REQUIRED, "DATABASE_URL": "postgres://u@db.example.com:5432/pursebop"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["engine"] == "django.db.backends.postgresql"


def test_postgresql_gives_up_connecting_after_seconds_unless_the_url_says_otherwise():
    from config.settings.base import database_config

    assert database_config("postgres://u@db.example.com/n")["OPTIONS"]["connect_timeout"] == 5
    configured = database_config("postgres://u@db.example.com/n?connect_timeout=2")
    assert configured["OPTIONS"]["connect_timeout"] == 2


def test_without_redis_each_process_caches_in_memory_and_counters_use_the_database():
    values = json.loads(run_with(REQUIRED).stdout)
    assert values["cache"] == "base.cache.LocalMemoryCache"
    assert values["rate_limit_store"] == "database"


def test_redis_url_selects_redis_for_the_cache_and_the_counters():
    result = run_with({**REQUIRED, "REDIS_URL": "redis://127.0.0.1:6379/0"})
    values = json.loads(result.stdout)
    assert values["cache"] == "base.cache.RedisCache"
    assert values["rate_limit_store"] == "redis"


def test_local_http_mode_switches_off_https_only_settings():
    result = run_with({**REQUIRED, "DJANGO_LOCAL_HTTP": "1"})
    values = json.loads(result.stdout)
    assert values["ssl_redirect"] is False
    assert values["admin_base_url"] == "http://pursebop.example.com"


def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = run_with(REQUIRED, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "IMMEDIATE"]
