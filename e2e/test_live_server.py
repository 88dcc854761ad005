"""The live server the browser tests use answers on database connections of its own, never on
the test's: a request still being answered could otherwise end a transaction the test is in
(a publish once lost its savepoint that way, and every later browser test failed with it).
And a test's end waits for the requests the server is still answering."""

import http.client
import socket
import time
from urllib.parse import urlsplit

from django.db import transaction


def status(live_server, path):
    address = urlsplit(live_server.url)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def test_the_live_server_does_not_see_into_the_tests_transaction(
    live_server, site_at_live_server, make_letter
):
    with transaction.atomic():
        letter = make_letter("Is a letter the test has not committed there yet?")
        # Sharing the test's connection, the server would find it (200), and could end the
        # transaction it is in; on a connection of its own to SQLite's in-memory database it
        # would be refused at once with "database table is locked" (503).
        assert status(live_server, letter.url) == 404
    assert status(live_server, letter.url) == 200


def test_a_tests_end_waits_for_the_requests_being_answered(live_server, live_server_requests):
    address = urlsplit(live_server.url)
    body = b"pen_name=Half+sent"
    with socket.create_connection((address.hostname, address.port), timeout=60) as held:
        # Headers and half the form: the server waits for the rest inside the site's code.
        held.sendall(
            b"POST / HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body[:5])
        )
        deadline = time.monotonic() + 60
        while live_server_requests.count == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert live_server_requests.count == 1
        held.sendall(body[5:])
        assert held.recv(12).startswith(b"HTTP/1.1 ")
    live_server_requests.wait_until_idle()
    assert live_server_requests.count == 0
