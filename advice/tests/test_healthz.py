import json
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_is_200_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_naming_the_database_when_it_fails(client):
    with mock.patch(
        "advice.views.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"][0] == "database"
    assert body["checks"]["database"] == "error: OperationalError"
    assert "refused" not in response.content.decode()  # details stay in the log


@pytest.mark.django_db
def test_healthz_is_503_naming_the_cache_when_it_fails(client):
    with mock.patch("advice.views.cache.set", side_effect=ConnectionError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_healthz_is_503_when_the_database_server_is_unreachable():
    """A real unreachable PostgreSQL (nothing listens on port 9): no mock in between."""
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code); print(r.content.decode())"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "y" * 60,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_LOCAL_HTTP": "1",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing?connect_timeout=2",
    }
    environment.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, body = result.stdout.strip().split("\n", 1)
    assert status == "503", result.stderr
    # Without Redis the cache is each process's memory: only the database failed.
    assert json.loads(body)["failed"] == ["database"]
