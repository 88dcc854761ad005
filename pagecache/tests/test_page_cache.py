"""Whole pages for anonymous readers (pagecache): a repeat view is served without rendering,
holds nothing of one reader's, and is dropped exactly when what readers see changes."""

import gzip
import time

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from advice.models import GuideIndexPage
from comments import lifecycle
from comments.forms import ReplyForm
from comments.models import Reply, ReplyPolicy
from guard import opened as opened_values
from pagecache import store
from testing.pages import publish_child
from testing.replies import fresh_address, post_reply, posted_reply, store_reply

# With Redis the version and the page come in one round trip; without it, the version is one
# SELECT of the database row.
HIT_QUERIES = 0 if settings.PAGE_CACHE_STORE == "redis" else 1


@pytest.fixture
def letter(make_letter):
    return make_letter("Should I keep a bag with a crooked strap?")


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser("mod", "mod@example.com", "pw")


def kept(client, url, **params):
    """Views `url` until it is served from the page cache; returns that response."""
    client.get(url, params)
    response = client.get(url, params)
    assert response["X-Page-Cache"] == "hit", url
    return response


def rendered(client, url, **params):
    """The next view of `url` is rendered afresh (and kept)."""
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss", url
    return response


@pytest.mark.django_db
def test_a_second_anonymous_view_is_served_from_the_cache(client, letter):
    first = client.get(letter.url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(letter.url)
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == HIT_QUERIES, [q["sql"] for q in queries]
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # Headers set below the cache (the page's CSP) are kept with it.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == first["X-Frame-Options"]
    assert client.head(letter.url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_each_query_string_is_its_own_page(client, letter):
    kept(client, letter.url)
    assert rendered(client, letter.url, sort="newest")
    assert kept(client, letter.url, sort="newest")


@pytest.mark.django_db
def test_a_kept_page_holds_nothing_of_one_reader(client, letter):
    for response in (client.get(letter.url), client.get(letter.url)):
        assert response.status_code == 200
        assert not response.cookies, response.cookies
        assert "cookie" not in response.get("Vary", "").lower()
        assert b"csrfmiddlewaretoken" not in response.content
        assert b"userbar" not in response.content
    # The form still carries its signed time and hash, and says where to get fresh ones.
    form = BeautifulSoup(response.content, "html.parser").select_one("[data-reply-form]")
    assert form["data-fresh"] == "/replies/fresh/"
    assert form.select_one("input[name=security_hash]")["value"]


@pytest.mark.django_db
def test_signed_in_users_get_their_own_page(client, letter, moderator):
    kept(client, letter.url)
    client.force_login(moderator)
    for _ in range(2):
        response = client.get(letter.url)
        assert "X-Page-Cache" not in response
        assert b"csrfmiddlewaretoken" in response.content
        assert b"userbar" in response.content
        assert "cookie" in response["Vary"].lower()


@pytest.mark.django_db
def test_other_views_are_not_kept(client, letter):
    for url in ("/search/?q=strap", "/healthz", f"/replies/reply/{0}/"):
        for _ in range(2):
            assert "X-Page-Cache" not in client.get(url)
    # A page that does not exist is rendered every time.
    for _ in range(2):
        assert "X-Page-Cache" not in client.get(letter.url + "nothing-here/")


@pytest.mark.django_db
def test_a_restricted_page_is_never_kept(client, letter):
    PageViewRestriction.objects.create(
        page=letter, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for _ in range(2):
        response = client.get(letter.url)
        assert "X-Page-Cache" not in response
        assert b"crooked strap" not in response.content


@pytest.mark.django_db
def test_pages_live_at_most_an_hour():
    assert settings.PAGE_CACHE_TIMEOUT <= 60 * 60
    assert settings.CACHES[settings.PAGE_CACHE_ALIAS]["TIMEOUT"] <= 60 * 60


# --- Invalidation: exactly when what readers see changes ----------------------------------


@pytest.mark.django_db
def test_publishing_a_page_renders_pages_again(client, letter, column):
    kept(client, letter.url)
    kept(client, column.url)
    letter.title = "Should I keep a bag with a bent strap?"
    letter.save_revision().publish()
    assert b"bent strap" in rendered(client, letter.url).content
    assert b"bent strap" in rendered(client, column.url).content


@pytest.mark.django_db
def test_a_draft_changes_nothing(client, letter):
    kept(client, letter.url)
    letter.title = "A draft title?"
    letter.save_revision()
    assert b"A draft title" not in kept(client, letter.url).content


@pytest.mark.django_db
def test_unpublishing_moving_and_deleting_render_pages_again(
    client, make_letter, column, home_page
):
    letter = make_letter("A letter to unpublish?")
    other = make_letter("A letter to move?")
    kept(client, column.url)
    letter.unpublish()
    assert b"A letter to unpublish" not in rendered(client, column.url).content

    kept(client, column.url)
    other.move(home_page, pos="last-child")
    assert b"A letter to move" not in rendered(client, column.url).content

    kept(client, "/")
    other.refresh_from_db()
    other.delete()
    rendered(client, "/")


@pytest.mark.django_db
def test_a_letter_citing_a_guide_renders_the_guide_again(client, make_letter, make_guide):
    """Cross-links: the guide lists the letters that point to it."""
    guide = make_guide("Insider's guide to special orders", "special-orders")
    kept(client, guide.url)
    make_letter("Should I place a special order?", related=[guide])
    assert b"Should I place a special order?" in rendered(client, guide.url).content


@pytest.mark.django_db
def test_the_navigation_changing_renders_pages_again(client, letter, home_page):
    kept(client, letter.url)
    publish_child(home_page, GuideIndexPage(title="Guides", slug="guides", show_in_menus=True))
    assert b'href="/guides/"' in rendered(client, letter.url).content

    site = Site.objects.get(is_default_site=True)
    kept(client, letter.url)
    site.site_name = "Purse Talk"
    site.save()
    assert b"Purse Talk" in rendered(client, letter.url).content


@pytest.mark.django_db
def test_a_held_reply_changes_nothing_and_its_approval_renders_again(client, letter, moderator):
    kept(client, letter.url)
    reply = posted_reply(post_reply(Client(), letter, comment="Mine was crooked too."))
    assert reply.is_held
    assert b"Mine was crooked too." not in kept(client, letter.url).content

    lifecycle.moderate(reply, "approve", moderator)
    assert b"Mine was crooked too." in rendered(client, letter.url).content

    kept(client, letter.url)
    lifecycle.moderate(Reply.objects.get(pk=reply.pk), "reject", moderator, "Off topic")
    assert b"Mine was crooked too." not in rendered(client, letter.url).content


@pytest.mark.django_db
def test_every_change_of_a_reply_status_renders_again(client, letter, moderator):
    """Through comments.lifecycle's signal (comments knows nothing of the cache)."""
    reply = store_reply(letter, comment="Held for now.")
    kept(client, letter.url)
    lifecycle.moderate(reply, "spam", moderator)
    rendered(client, letter.url)

    shown = store_reply(letter, comment="Kind words.", user_email="kind@example.com")
    kept(client, letter.url)
    lifecycle.moderate(shown, "approve", moderator)
    assert b"Kind words." in rendered(client, letter.url).content
    kept(client, letter.url)
    lifecycle.erase(shown.user_email, moderator)
    rendered(client, letter.url)


@pytest.mark.django_db
def test_topics_columnists_and_settings_render_pages_again(
    client, make_letter, topic, columnist, home_page
):
    letter = make_letter("A letter with a topic?", topics=[topic])
    kept(client, letter.url)
    topic.name = "Custom orders"
    topic.save()
    assert b"Custom orders" in rendered(client, letter.url).content

    kept(client, letter.url)
    columnist.name = "Avery Stone-Hale"
    columnist.save()
    assert b"Avery Stone-Hale" in rendered(client, letter.url).content

    kept(client, letter.url)
    policy = ReplyPolicy.for_site(home_page.get_site())
    policy.guidelines = "<p>Be kind to one another.</p>"
    policy.save()
    assert b"Be kind to one another." in rendered(client, letter.url).content


@pytest.mark.django_db
def test_a_page_rendered_before_a_change_is_not_kept_under_the_new_version(client, letter):
    """The version is read before rendering: a page rendered from data the change made stale
    carries the old version, and is never served after the change."""
    key_version = store.fetch("pagecache:page:none")[0]
    kept(client, letter.url)
    store.invalidate()
    assert store.fetch("pagecache:page:none")[0] != key_version
    rendered(client, letter.url)


# --- The reply form on a kept page ---------------------------------------------------------


def form_data(response, **fields):
    """What the browser would send from the page's reply form: every hidden input, the
    honeypot empty, and the reader's fields."""
    form = BeautifulSoup(response.content, "html.parser").select_one("[data-reply-form]")
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    data.update(honeypot="", name="Crooked Too", email="crooked@example.com")
    data.update(comment="Mine came crooked as well.", **fields)
    return data


@pytest.fixture
def no_typing_time(monkeypatch):
    monkeypatch.setattr(ReplyForm, "min_seconds_to_type", 0)


@pytest.mark.django_db
def test_with_the_script_the_form_asks_for_a_token_and_a_fresh_time(client, letter, no_typing_time):
    page = kept(client, letter.url)
    reader = Client(enforce_csrf_checks=True)
    data = form_data(page)
    with CaptureQueriesContext(connection) as queries:
        fresh = reader.get(
            "/replies/fresh/",
            {"content_type": data["content_type"], "object_pk": data["object_pk"]},
        )
    assert len(queries) == 0
    assert fresh.status_code == 200
    assert "no-cache" in fresh["Cache-Control"]
    values = fresh.json()
    assert set(values) == {"csrfmiddlewaretoken", "timestamp", "security_hash", "opened"}
    assert abs(int(values["timestamp"]) - time.time()) < 5
    opened = opened_values.read(values["opened"])
    assert opened.one_use and abs(opened.at - time.time()) < 5  # the typing time counts from now
    data.update(values)
    response = reader.post("/replies/post/", data, REMOTE_ADDR=fresh_address())
    reply = posted_reply(response)
    assert reply.comment == "Mine came crooked as well."
    # The poster sees their held reply through the uncached fragment; the kept page is
    # unchanged for everyone.
    own = reader.get(f"/replies/yours/{letter.pk}/")
    assert own.status_code == 200 and b"Mine came crooked as well." in own.content
    assert b"Mine came crooked as well." not in kept(client, letter.url).content


@pytest.mark.django_db
def test_without_the_script_the_first_send_is_the_confirm_step_with_the_text_and_a_token(
    client, letter, no_typing_time
):
    page = kept(client, letter.url)
    reader = Client(enforce_csrf_checks=True)
    response = reader.post("/replies/post/", form_data(page), REMOTE_ADDR=fresh_address())
    assert response.status_code == 200  # the confirm step, not an error
    assert not Reply.objects.exists()
    again = BeautifulSoup(response.content, "html.parser")
    assert again.h1.get_text() == "One more step"
    assert again.select_one("textarea[name=comment]").get_text() == "Mine came crooked as well."
    assert again.select_one("input[name=csrfmiddlewaretoken]")["value"]
    assert again.select_one("input[name=name]")["value"] == "Crooked Too"

    data = form_data(response)  # the fresh token, time and hash, as the browser sends them
    reply = posted_reply(reader.post("/replies/post/", data, REMOTE_ADDR=fresh_address()))
    assert reply.comment == "Mine came crooked as well."


@pytest.mark.django_db
def test_the_fresh_endpoint_refuses_nonsense(client):
    assert client.get("/replies/fresh/").status_code == 400
    assert client.get("/replies/fresh/", {"content_type": "x", "object_pk": "a"}).status_code == 400


# --- What a CDN or proxy in front is told ---------------------------------------------------


@pytest.mark.django_db
def test_kept_pages_may_be_kept_by_a_cdn_and_revalidated(client, letter, monkeypatch):
    # A second on from the letter's publication: its date is sent once that second is over.
    monkeypatch.setattr(store, "now", lambda: time.time() + 1)
    for response in (client.get(letter.url), client.get(letter.url)):
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert control == {
            "public",
            f"max-age={settings.PAGE_CACHE_MAX_AGE}",
            f"s-maxage={settings.PAGE_CACHE_S_MAXAGE}",
        }
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"]
    etag, modified = response["ETag"], response["Last-Modified"]

    same = client.get(letter.url, headers={"if-none-match": etag})
    assert same.status_code == 304
    assert same.content == b""
    assert same["ETag"] == etag
    assert client.get(letter.url, headers={"if-modified-since": modified}).status_code == 304

    letter.title = "Should I keep a bag with a bent strap?"
    letter.save_revision().publish()
    changed = client.get(letter.url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.django_db
def test_a_signed_in_users_page_is_private(client, letter, moderator):
    client.force_login(moderator)
    assert "private" in client.get(letter.url)["Cache-Control"]


# --- Compression: only what holds no secret -------------------------------------------------


@pytest.mark.django_db
def test_kept_pages_are_compressed_for_clients_that_accept_it(client, letter):
    plain = client.get(letter.url)
    assert "Content-Encoding" not in plain
    for _ in range(2):  # rendered and kept, then from the cache
        packed = client.get(letter.url, headers={"accept-encoding": "gzip, deflate, br"})
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == plain.content
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
        assert "accept-encoding" in packed["Vary"].lower()
        assert packed["ETag"] != plain["ETag"]
    again = client.get(
        letter.url, headers={"accept-encoding": "gzip", "if-none-match": packed["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.django_db
def test_clients_without_gzip_get_a_plain_copy_kept_as_it_is(client, letter, monkeypatch):
    """A client that sends no Accept-Encoding is served the plain copy kept beside the
    compressed one, whichever kind of client came first: nothing is decompressed for it."""
    packed = client.get(letter.url, headers={"accept-encoding": "gzip"})  # rendered, kept
    assert packed["X-Page-Cache"] == "miss"

    def no_decompression(*args, **kwargs):
        raise AssertionError("a kept page was decompressed for a request")

    monkeypatch.setattr(gzip, "decompress", no_decompression)
    plain = client.get(letter.url)
    assert plain["X-Page-Cache"] == "hit"
    assert "Content-Encoding" not in plain
    assert plain.content.startswith(b"<!DOCTYPE html>")
    assert int(plain["Content-Length"]) == len(plain.content) > 2 * len(packed.content)
    assert "accept-encoding" in plain["Vary"].lower()
    assert plain["ETag"] != packed["ETag"]
    assert client.get(letter.url, headers={"if-none-match": plain["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_pages_with_a_secret_are_never_compressed(client, letter, moderator):
    """A CSRF token in a compressed page would leak through its size (BREACH)."""
    client.force_login(moderator)
    response = client.get(letter.url, headers={"accept-encoding": "gzip"})
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response
    client.logout()
    posted = Client().post(
        "/replies/post/", {"comment": "Hello"}, headers={"accept-encoding": "gzip"}
    )
    assert "Content-Encoding" not in posted
