"""Sign-in throttling (django-axes): five wrong passwords lock that username from that address
and that address for everyone, for 15 minutes; the right password is refused meanwhile, with
a page saying so; an administrator can lift the lock at once."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

LOGIN = "/admin/login/"
PASSWORD = "a long and correct passphrase"
ATTACKER, COLLEAGUE = "198.51.100.7", "198.51.100.8"


@pytest.fixture
def chief(db):
    return get_user_model().objects.create_superuser(
        "chief", email="chief@example.com", password=PASSWORD
    )


@pytest.fixture
def deputy(db):
    return get_user_model().objects.create_superuser(
        "deputy", email="deputy@example.com", password=PASSWORD
    )


def sign_in(client, username, password, address, **extra):
    client.logout()
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **extra,
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def assert_locked_page(response):
    assert response.status_code == 429
    html = response.content.decode()
    assert "Sign-in paused" in html
    assert "Too many failed sign-in attempts" in html and "15 minutes" in html
    assert 'class="login-logo"' in html  # the admin's sign-in design, not a bare error
    assert 'name="password"' not in html


def fail_five_times(client, username, address):
    for attempt in range(1, 6):
        response = sign_in(client, username, "wrong guess", address)
        if attempt < 5:
            assert response.status_code == 200, attempt  # the form, with its error
            assert "Your username and password didn" in response.content.decode()
    return response  # the fifth: the lock


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(client, chief):
    assert_locked_page(fail_five_times(client, "chief", ATTACKER))
    response = sign_in(client, "chief", PASSWORD, ATTACKER)
    assert_locked_page(response)
    assert not signed_in(response)
    assert client.get("/admin/").status_code == 302  # still signed out


def test_the_lock_holds_the_address_not_the_account_everywhere(client, chief, deputy):
    fail_five_times(client, "chief", ATTACKER)
    # Username and address: the owner signs in from elsewhere.
    assert signed_in(sign_in(client, "chief", PASSWORD, COLLEAGUE))
    # Address alone: nobody signs in from the locked address.
    assert_locked_page(sign_in(client, "deputy", PASSWORD, ATTACKER))
    assert signed_in(sign_in(client, "deputy", PASSWORD, COLLEAGUE))


def test_addresses_are_the_clients_behind_our_trusted_proxy(client, chief, settings):
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.9.9.9"]
    proxy = "10.9.9.9"
    for _ in range(5):
        sign_in(client, "chief", "wrong guess", proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert_locked_page(sign_in(client, "chief", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ATTACKER))
    # Through the same proxy, another client is not the attacker.
    assert signed_in(sign_in(client, "chief", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=COLLEAGUE))
    # And a forged header from outside is not believed: the attacker's own address counts.
    for _ in range(5):
        sign_in(client, "chief", "wrong guess", "203.0.113.9", HTTP_X_FORWARDED_FOR=COLLEAGUE)
    assert signed_in(sign_in(client, "chief", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=COLLEAGUE))
    assert_locked_page(sign_in(client, "chief", PASSWORD, "203.0.113.9"))


def test_the_lock_ends_fifteen_minutes_after_the_last_attempt(client, chief):
    """Every attempt while locked counts as the last one: guessing on keeps the lock."""
    fail_five_times(client, "chief", ATTACKER)
    start = timezone.now()

    def at(minutes):
        return mock.patch(
            "axes.handlers.proxy.now", return_value=start + datetime.timedelta(minutes=minutes)
        )

    with at(14):
        assert_locked_page(sign_in(client, "chief", PASSWORD, ATTACKER))
    with at(14 + 14):
        assert_locked_page(sign_in(client, "chief", PASSWORD, ATTACKER))
    with at(14 + 14 + 16):
        assert signed_in(sign_in(client, "chief", PASSWORD, ATTACKER))


def test_an_administrator_lifts_the_lock(client, chief, deputy, capsys):
    fail_five_times(client, "chief", ATTACKER)
    call_command("axes_reset_username", "chief")
    assert signed_in(sign_in(client, "chief", PASSWORD, ATTACKER))

    fail_five_times(client, "nobody", ATTACKER)  # a made-up name: the address is locked
    assert_locked_page(sign_in(client, "deputy", PASSWORD, ATTACKER))
    call_command("axes_reset_ip", ATTACKER)
    assert signed_in(sign_in(client, "deputy", PASSWORD, ATTACKER))
