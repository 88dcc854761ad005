"""Who is posting, as far as the network tells: the client's address behind our own trusted
proxies, the network a rate limit counts, and a keyed hash for records that must not keep an
address in clear."""

import functools
import hashlib
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@functools.lru_cache(maxsize=8)
def _networks(proxies):
    try:
        return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies)
    except ValueError as error:
        raise ImproperlyConfigured(f"RATE_LIMIT_TRUSTED_PROXIES: {error}") from error


def parse(text):
    """An IP address object, IPv4-mapped IPv6 reduced to IPv4; None when `text` is not one."""
    try:
        address = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_address(request) -> str:
    """The client's own address: REMOTE_ADDR, or, only when that is a trusted proxy, the
    nearest untrusted address of X-Forwarded-For read from the right (garbage: REMOTE_ADDR)."""
    remote = request.META.get("REMOTE_ADDR", "").strip()
    address = parse(remote)
    if address is None:
        return remote
    trusted = _networks(tuple(getattr(settings, "RATE_LIMIT_TRUSTED_PROXIES", [])))

    def is_trusted(addr):
        return any(addr in network for network in trusted)

    if is_trusted(address):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for part in reversed(forwarded.split(",")):
            hop = parse(part)
            if hop is None:
                break
            if not is_trusted(hop):
                return str(hop)
    return str(address)


def stored_address(request):
    """client_address() when it is a real IP address (what an IP field can store), else None."""
    address = client_address(request)
    return address if parse(address) is not None else None


def client_ip(request) -> str:
    """What the limits count: client_address(), an IPv6 address reduced to its /64 network
    (one subscriber usually holds a whole /64), e.g. "2001:db8:1:2::/64"."""
    text = client_address(request)
    address = parse(text)
    if address is not None and address.version == 6:
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return text


def address_hash(value):
    """A keyed hash of an IP address: enough to tell reporters apart, useless if leaked."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:40]
