"""Two app servers on one PostgreSQL and one Redis (the production path): a
reply posted through one and approved through the other appears on both, their kept pages
dropped at once (the page cache lives in Redis), and the reply rate limits count across both.

Runs in the PostgreSQL + Redis lane (.ci/run, lane 2); skips, saying why, elsewhere. The two
gunicorn servers use pytest's own test database (its name comes from the test connection),
so the test commits its data (a transactional test) and the servers see it.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from comments.models import Reply
from testing.replies import reply_form_data

# Decided before any database is set up: a transactional test flushes the tables afterwards,
# which would also empty what the migrations seeded for the tests that follow (on SQLite the
# browser tests come next).
NEEDS = (
    "the two-server test needs PostgreSQL and Redis (DATABASE_URL=postgres://..., "
    "REDIS_URL=redis://...: the PostgreSQL/Redis lane of .ci/run)"
)
pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"] or not settings.REDIS_URL,
        reason=NEEDS,
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    params = connection.settings_dict
    user = quote(params["USER"] or "postgres")
    password = f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else ""
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


class Server:
    """One gunicorn (one worker) on a free local port, on the test database and Redis."""

    def __init__(self, name):
        self.name, self.port = name, free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
        }
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn {name} exited: {self.process.stderr.read()!r}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"gunicorn {name} did not start in 60 s")

    def request(self, method, path, cookies=None, data=None):
        """(status, headers, body); cookies, a dict, is updated from Set-Cookie."""
        cookies = {} if cookies is None else cookies
        # One site behind a load balancer: every server sees the site's own Host.
        headers = {"Host": "localhost"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for key, morsel in SimpleCookie(header).items():
                    cookies[key] = morsel.value
            return response.status, response.headers, content
        finally:
            conn.close()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def servers():
    started = []
    try:
        for name in ("A", "B"):
            started.append(Server(name))
        yield started
    finally:
        for server in started:
            server.stop()


def signed_in(user):
    """A session for `user` in the shared database, as a sign-in would make it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {settings.SESSION_COOKIE_NAME: session.session_key}


def csrf_token(server, cookies, data):
    status, _headers, body = server.request(
        "GET",
        "/replies/fresh/?"
        + urlencode({"content_type": data["content_type"], "object_pk": data["object_pk"]}),
        cookies,
    )
    assert status == 200
    return json.loads(body)["csrfmiddlewaretoken"]


def post_reply(server, cookies, letter, n):
    data = reply_form_data(letter, comment=f"Posted through {server.name}, number {n}.")
    data["email"] = f"reader{n}@example.com"
    data["csrfmiddlewaretoken"] = csrf_token(server, cookies, data)
    status, headers, _body = server.request("POST", "/replies/post/", cookies, data)
    return status


def view(server, url):
    status, headers, body = server.request("GET", url)
    assert status == 200
    return headers.get("X-Page-Cache"), body.decode()


def test_two_servers_share_replies_page_caches_and_rate_limits(
    servers, make_letter, django_user_model
):
    a, b = servers
    letter = make_letter("Should I keep a bag with a crooked strap?")
    url = letter.url
    for server in (a, b):
        view(server, url)
        assert view(server, url)[0] == "hit"

    # Posted through A: held, so no kept page changes.
    reader = {}
    assert post_reply(a, reader, letter, 1) == 302
    reply = Reply.objects.get()
    assert reply.is_held
    for server in (a, b):
        state, html = view(server, url)
        assert state == "hit" and "Posted through A" not in html

    # Approved through B, by a moderator signed in there.
    moderator = django_user_model.objects.create_superuser("mod", "mod@example.com", "pw")
    desk = signed_in(moderator)
    token = csrf_token(b, desk, reply_form_data(letter))
    status, _headers, _body = b.request(
        "POST",
        f"/admin/snippets/comments/reply/moderate/{reply.pk}/",
        desk,
        {"action": "approve", "csrfmiddlewaretoken": token},
    )
    assert status == 302
    reply.refresh_from_db()
    assert reply.is_published

    # Both show it at once: the first view after the approval renders, wherever it lands.
    state, html = view(a, url)
    assert state == "miss" and "Posted through A, number 1." in html
    state, html = view(b, url)
    assert state == "hit" and "Posted through A, number 1." in html

    # The reply limit (5 an address in 10 minutes) counts posts through both servers.
    statuses = [
        post_reply(server, reader, letter, n)
        for n, server in zip(range(2, 8), [b, a] * 3, strict=True)
    ]
    assert statuses == [302, 302, 302, 302, 429, 429], statuses
