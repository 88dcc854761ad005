"""Guessing a view password (a password-protected page, or collection of documents): ten tries
per client address and restriction in 15 minutes, then 429 with the form and a message, and
the password is not even checked."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from guard import ratelimit
from testing.replies import fresh_address

PASSWORD = "open sesame"
T0 = 1_800_000_000  # the start of a 15-minute window


@pytest.fixture
def clock(monkeypatch):
    """The time the rate limiter sees; tests move it instead of sleeping."""

    class Clock:
        now = T0

    monkeypatch.setattr(ratelimit, "_now", lambda: Clock.now)
    return Clock


@pytest.fixture
def restricted_page(home_page):
    restriction = PageViewRestriction.objects.create(
        page=home_page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    url = f"/_util/authenticate_with_password/{restriction.pk}/{home_page.pk}/"
    return restriction, url


def guess(client, url, password, address, return_url="/"):
    return client.post(url, {"password": password, "return_url": return_url}, REMOTE_ADDR=address)


def test_the_eleventh_guess_is_refused_without_checking_the_password(
    client, restricted_page, clock
):
    _restriction, url = restricted_page
    address = fresh_address()
    assert client.get("/").status_code == 200  # the password form in place of the page
    for _ in range(10):
        response = guess(client, url, "wrong", address)
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
    response = guess(client, url, PASSWORD, address)  # the right one, too late
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many password attempts from your address" in html
    assert 'name="password"' in html and 'name="return_url"' in html  # the form again
    assert "not correct" not in html
    # Not let in: the page still asks for the password.
    assert "Password required" in client.get("/").content.decode()


def test_another_address_and_the_next_window_may_try_again(client, restricted_page, clock):
    _restriction, url = restricted_page
    address = fresh_address()
    for _ in range(11):
        guess(client, url, "wrong", address)
    assert guess(client, url, PASSWORD, address).status_code == 429
    # Someone else (their own client) is not held up by this address's guesses.
    other = Client()
    response = guess(other, url, PASSWORD, fresh_address())
    assert (response.status_code, response["Location"]) == (302, "/")
    assert other.get("/").status_code == 200
    # Fifteen minutes later the first address may try again.
    clock.now += 15 * 60
    response = guess(client, url, PASSWORD, address)
    assert (response.status_code, response["Location"]) == (302, "/")


@pytest.fixture
def restricted_document(db, home_page):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Password papers")
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password=PASSWORD
    )
    document = get_document_model().objects.create(
        title="Minutes", file=ContentFile(b"Board secrets.", name="minutes.txt"), collection=private
    )
    yield restriction, document
    document.file.delete(save=False)


def test_document_passwords_are_throttled_too(client, restricted_document, clock):
    restriction, document = restricted_document
    url = f"/documents/authenticate_with_password/{restriction.pk}/"
    address = fresh_address()
    for _ in range(10):
        assert guess(client, url, "wrong", address, document.url).status_code == 200
    response = guess(client, url, PASSWORD, address, document.url)
    assert response.status_code == 429
    assert "Too many password attempts from your address" in response.content.decode()
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"Password required" in response.content  # the form, not the file
    assert b"Board secrets." not in response.content
