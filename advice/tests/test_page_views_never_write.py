"""Page views never write to the database, so they never wait behind a writer: without Redis
the cache is per-process memory (base.cache.LocalMemoryCache), not a database table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from testing import locked_sqlite
from testing.output import say
from testing.replies import store_reply

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.mark.django_db
def test_public_pages_run_no_insert_update_or_delete(client, home_page, make_letter, topic):
    """With empty caches, as in a newly started worker (the autouse fixture clears them)."""
    letter = make_letter("Should I keep a bag with a crooked strap?", topics=[topic])
    store_reply(letter, status="approved", user_name="Rosa", comment="Keep it.")
    column = letter.get_parent()
    for url in [letter.url, column.url, "/", "/search/?q=strap", letter.url]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert writes == [], (url, writes)


def test_page_views_answer_quickly_while_another_connection_holds_the_write_lock(
    sqlite_site, tmp_path, pytestconfig
):
    """A SQLite file, a fresh process (empty caches) and SQLite's write lock held by another
    connection for the whole run: every page answers, and well within the 20 s busy timeout."""
    views = locked_sqlite.run(sqlite_site, tmp_path, "page_views")["views"]
    say(
        pytestconfig,
        "page views with SQLite's write lock held elsewhere: "
        + ", ".join(f"{view['url']} {view['status']} in {view['seconds']:.2f} s" for view in views),
    )
    assert [view["status"] for view in views] == [200, 200, 200, 200]
    assert max(view["seconds"] for view in views) < 5
