"""Client addresses (guard.addresses): what the limits count (client_ip) and what a reply
stores (client_address), behind trusted proxies or none, normalised, and a bad proxy setting
failing loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from guard.addresses import client_address, client_ip


def post(ip, **meta):
    return RequestFactory().post("/replies/post/", REMOTE_ADDR=ip, **meta)


@pytest.mark.parametrize("proxies", [None, []])
def test_forged_forwarded_for_is_ignored_without_trusted_proxies(settings, proxies):
    if proxies is None:
        if hasattr(settings, "RATE_LIMIT_TRUSTED_PROXIES"):
            del settings.RATE_LIMIT_TRUSTED_PROXIES
    else:
        settings.RATE_LIMIT_TRUSTED_PROXIES = proxies
    request = post("198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert client_ip(request) == "198.51.100.7"


def test_forwarded_for_from_an_untrusted_peer_is_ignored(settings):
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(post("198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (["10.0.0.1"], "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        # The client's own forged entries sit left of what our proxy appended.
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (["10.0.0.0/8"], "10.20.30.40", "203.0.113.5", "203.0.113.5"),
        # A chain of trusted proxies: the first untrusted address from the right.
        (
            ["10.0.0.0/8", "172.16.0.1"],
            "10.0.0.2",
            "6.6.6.6, 203.0.113.5, 172.16.0.1, 10.9.9.9",
            "203.0.113.5",
        ),
        (["10.0.0.0/8"], "10.0.0.2", " 203.0.113.5 ,10.1.1.1 ", "203.0.113.5"),
        # Nothing usable: REMOTE_ADDR.
        (["10.0.0.0/8"], "10.0.0.2", "", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "10.1.1.1, 10.2.2.2", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "not-an-address", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "203.0.113.5, 10.1.1.1, <script>", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "203.0.113.5:4711", "10.0.0.2"),
        # Garbage the client typed, left of a real hop, does not matter.
        (["10.0.0.0/8"], "10.0.0.2", "garbage, 203.0.113.5", "203.0.113.5"),
        # IPv6 proxies and clients; clients are counted per /64.
        (["2001:db8:ffff::/48"], "2001:db8:ffff::1", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        (["10.0.0.1"], "10.0.0.1", "::ffff:203.0.113.5", "203.0.113.5"),
    ],
)
def test_forwarded_for_through_trusted_proxies(settings, proxies, remote, forwarded, expected):
    settings.RATE_LIMIT_TRUSTED_PROXIES = proxies
    assert client_ip(post(remote, HTTP_X_FORWARDED_FOR=forwarded)) == expected


def test_client_address_keeps_the_whole_ipv6_address(settings):
    """client_address() is the address to store (a reply's ip_address); client_ip() what the
    limits count."""
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = post("10.0.0.2", HTTP_X_FORWARDED_FOR="2001:DB8:1:2:3:4:5:6, 10.1.1.1")
    assert client_address(request) == "2001:db8:1:2:3:4:5:6"
    assert client_ip(request) == "2001:db8:1:2::/64"
    assert client_address(post("198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "198.51.100.7"


def test_missing_forwarded_for_header_behind_a_proxy(settings):
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(post("10.0.0.2")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd:12::/64"),
        ("2001:DB8:ABCD:12::9", "2001:db8:abcd:12::/64"),
        ("::1", "::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("192.0.2.1", "192.0.2.1"),
    ],
)
def test_client_addresses_are_normalised(settings, remote, expected):
    settings.RATE_LIMIT_TRUSTED_PROXIES = []
    assert client_ip(post(remote)) == expected


def test_a_bad_trusted_proxy_setting_fails_loudly(settings):
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example.com"]
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_TRUSTED_PROXIES"):
        client_ip(post("10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5"))
