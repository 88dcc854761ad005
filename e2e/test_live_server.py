"""The live server the browser tests use answers on database connections of its own, never on
the test's: a request still being answered could otherwise end a transaction the test is in
(a publish once lost its savepoint that way, and every later browser test failed with it)."""

import http.client
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
