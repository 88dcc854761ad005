"""Real app servers for the multi-process tests: gunicorn, as `make run` serves the site, on
the pytest test database (its name from the test's connection), each on a free local port;
and a small HTTP client that sends forms to them and reads the status without following
redirects.

The servers use the test settings (same SECRET_KEY, so a form made in the test is valid
there) with 127.0.0.1 as a trusted proxy, so each request names its reader's address in
X-Forwarded-For, as behind the production proxy."""

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

from django.db import connection

from testing.fuzz import CSRF

ROOT = Path(__file__).resolve().parent.parent


def database_url(port=None):
    """The test database's URL (PostgreSQL), optionally through another port (a proxy)."""
    params = connection.settings_dict
    user = quote(params["USER"] or "postgres")
    password = f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else ""
    host = params["HOST"] or "127.0.0.1"
    port = port or params["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(**values):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "RATE_LIMIT_TRUSTED_PROXIES": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }
    env.update({key: str(value) for key, value in values.items()})
    return env


def wait_until_serving(port, process, log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn on port {port} exited: {log.read()}")
        try:  # any answer: the master listens before a worker has loaded the site
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/robots.txt", headers={"Host": "localhost"})
            conn.getresponse().read()
            conn.close()
            return
        except (OSError, http.client.HTTPException):
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn on port {port} did not start in {seconds} s")


@contextmanager
def app_servers(count=2, workers=2, threads=4, timeout=120, **env):
    """Start `count` gunicorn servers; yield their ports; stop them (SIGTERM, then kill)."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    processes, ports = [], []
    # The servers' logs (tracebacks included) go to a file the test can show on failure.
    log = tempfile.NamedTemporaryFile("w+", prefix="pursebop-server-", suffix=".log")
    try:
        for _ in range(count):
            port = free_port()
            processes.append(
                subprocess.Popen(
                    [
                        str(gunicorn),
                        "config.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(workers),
                        "--threads",
                        str(threads),
                        "--timeout",
                        str(timeout),
                        "--forwarded-allow-ips",
                        "127.0.0.1",
                    ],
                    cwd=ROOT,
                    env=server_env(**env),
                    stdout=log,
                    stderr=log,
                    text=True,
                )
            )
            ports.append(port)
        for port, process in zip(ports, processes, strict=True):
            wait_until_serving(port, process, log)
        yield ports
    finally:
        # pytest shows captured output only when the test failed.
        log.flush()
        log.seek(0)
        sys.stderr.write(f"--- app server log ---\n{log.read()[-20000:]}\n")
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def request(
    port, method, path, fields=None, address="192.0.2.1", timeout=60, cookies="", headers=None
):
    """(status, headers, body) of one request; a form is sent urlencoded with a CSRF pair."""
    headers = {"Host": "localhost", "X-Forwarded-For": address, **(headers or {})}
    body = None
    cookie = cookies
    if fields is not None:
        fields = {**fields, "csrfmiddlewaretoken": CSRF.secret}
        body = urlencode(fields).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        cookie = "; ".join(filter(None, [cookies, CSRF.cookie]))
    if cookie:
        headers["Cookie"] = cookie
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()
