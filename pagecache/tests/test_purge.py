"""A CDN or proxy in front is told to drop pages through wagtail.contrib.frontend_cache's
generic HTTP purge (pagecache.purge), tested against a real local HTTP server: once the
change is committed, as a task, for the page and the pages above it, with a timeout."""

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import PageViewRestriction

from advice.models import GuideIndexPage
from comments import lifecycle
from pagecache import purge
from testing.mail import run_email_worker
from testing.pages import publish_child
from testing.replies import store_reply


class PurgeTarget(ThreadingHTTPServer):
    """A proxy's purge endpoint on a free local port: records (Host, path) of each PURGE."""

    daemon_threads = True

    def __init__(self):
        self.purged = []

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(handler):  # the HTTP method PURGE
                self.purged.append((handler.headers["Host"], handler.path))
                handler.send_response(200)
                handler.send_header("Content-Length", "0")
                handler.end_headers()

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def paths(self):
        return {path for _host, path in self.purged}


@pytest.fixture
def proxy(settings):
    server = PurgeTarget()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {"BACKEND": "pagecache.purge.HTTPBackend", "LOCATION": server.url, "TIMEOUT": 5}
    }
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def letter(make_letter, topic):
    return make_letter("Should I keep a bag with a crooked strap?", topics=[topic])


@pytest.mark.django_db
def test_the_column_lists_its_routable_paths(column, letter, topic, columnist):
    year, month = letter.date.year, letter.date.month
    assert column.get_cached_paths() == [
        "/",
        "feed/",
        f"topic/{topic.slug}/",
        f"topic/{topic.slug}/feed/",
        f"columnist/{columnist.slug}/",
        f"{year}/",
        f"{year}/{month}/",
    ]


@pytest.mark.django_db
def test_nothing_is_sent_before_the_change_is_committed(
    proxy, letter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter.save_revision().publish()
    assert proxy.purged == []
    assert callbacks  # the purge waits for the commit


@pytest.mark.django_db
def test_publishing_a_letter_purges_it_its_column_and_the_home_page(
    proxy, letter, column, topic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter.save_revision().publish()
    assert {
        "/",
        column.url,
        column.url + "feed/",
        column.url + f"topic/{topic.slug}/",
        column.url + f"topic/{topic.slug}/feed/",
        letter.url,
    } <= proxy.paths()
    # The Host header names the site, so the proxy drops the right site's page.
    assert {host for host, _path in proxy.purged} == {letter.get_site().hostname}


@pytest.mark.django_db
def test_a_reply_approval_purges_its_letter(
    proxy, letter, column, django_user_model, django_capture_on_commit_callbacks
):
    reply = store_reply(letter, comment="Mine was crooked too.")
    moderator = django_user_model.objects.create_superuser("mod", "mod@example.com", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.moderate(reply, "approve", moderator)
    assert {letter.url, column.url, "/"} <= proxy.paths()


@pytest.mark.django_db
def test_a_topic_edit_purges_the_archives_and_its_letters(
    proxy, letter, column, topic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic.description = "Bags made for you."
        topic.save()
    assert {column.url + f"topic/{topic.slug}/", letter.url} <= proxy.paths()


# --- A page hidden leaves the CDN, with every page below it -----------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind, fields",
    [
        (PageViewRestriction.PASSWORD, {"password": "secret"}),
        (PageViewRestriction.LOGIN, {}),
        (PageViewRestriction.GROUPS, {}),
    ],
)
def test_a_view_restriction_purges_the_page_and_the_listings_that_showed_it(
    proxy, letter, column, topic, kind, fields, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=letter, restriction_type=kind, **fields)
    assert {
        letter.url,
        column.url,
        column.url + "feed/",
        column.url + f"topic/{topic.slug}/",
        "/",
    } <= proxy.paths()


@pytest.mark.django_db
def test_a_restricted_column_purges_every_letter_in_it(
    proxy, letter, column, django_capture_on_commit_callbacks
):
    restriction = PageViewRestriction.objects.create(
        page=column, restriction_type=PageViewRestriction.LOGIN
    )
    proxy.purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.restriction_type = PageViewRestriction.PASSWORD
        restriction.password = "secret"
        restriction.save()
    assert {letter.url, column.url, "/"} <= proxy.paths()


@pytest.mark.django_db
def test_a_column_moved_under_a_restricted_page_purges_its_letters_old_addresses(
    proxy, letter, column, home_page, django_capture_on_commit_callbacks
):
    private = publish_child(home_page, GuideIndexPage(title="Private", slug="private"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    old_letter, old_column = letter.url, column.url
    proxy.purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        column.move(private, pos="last-child")
    assert {old_letter, old_column, old_column + "feed/", "/"} <= proxy.paths()


@pytest.mark.django_db
def test_deleting_a_column_purges_its_letters(
    proxy, letter, column, django_capture_on_commit_callbacks
):
    old_letter, old_column = letter.url, column.url
    with django_capture_on_commit_callbacks(execute=True):
        column.delete()
    assert {old_letter, old_column, "/"} <= proxy.paths()


@pytest.mark.django_db
def test_without_a_purge_target_nothing_is_queued(django_capture_on_commit_callbacks):
    assert settings.WAGTAILFRONTENDCACHE == {}
    assert not purge.configured()
    with django_capture_on_commit_callbacks() as callbacks:
        purge.purge_batch(PurgeBatch(["http://localhost/dear-pursebop/"]))
    assert callbacks == []


def test_a_proxy_that_does_not_answer_times_out_and_the_batch_stops(caplog):
    """A socket that accepts connections and never answers: each purge waits at most the
    timeout, and the batch gives up after the first, logging it."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        backend = purge.HTTPBackend(
            {"LOCATION": f"http://127.0.0.1:{silent.getsockname()[1]}", "TIMEOUT": 0.3}
        )
        with caplog.at_level(logging.ERROR, logger="pagecache.purge"):
            backend.purge_batch(["http://localhost/a/", "http://localhost/b/"])
    finally:
        silent.close()
    messages = [record.getMessage() for record in caplog.records]
    assert any("Could not purge http://localhost/a/" in m for m in messages), messages
    assert not any("localhost/b/" in m for m in messages)
    assert any("Purge stopped: 2 addresses left" in m for m in messages)


def test_wagtails_frontend_cache_app_is_not_installed():
    """Its signal handlers would purge inside the publishing request: ours run in a task."""
    assert "wagtail.contrib.frontend_cache" not in settings.INSTALLED_APPS


@pytest.mark.django_db
def test_the_purge_waits_for_the_worker_then_runs_through_wagtails_purge_batch(
    proxy, email_queue, letter, column, django_capture_on_commit_callbacks
):
    """Committed, the change queues our task on the background queue and sends nothing; the
    worker's run of it purges (Wagtail's PurgeBatch.purge(), run there)."""
    with django_capture_on_commit_callbacks(execute=True):
        letter.save_revision().publish()
    assert proxy.purged == []
    [result] = [r for r in run_email_worker() if r.task.name == purge.purge_task.name]
    assert result.status == "SUCCESSFUL"
    assert {letter.url, column.url, "/"} <= proxy.paths()
