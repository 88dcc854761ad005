"""Web addresses in plain text (an email's body), and which of them lead off the site.

Mail programs turn more than `https://…` into links: `www.example.com` and a bare
`example.com/page` become links too, so all three count. An address is the site's own only
when its host is the site's host (or under it) and nothing in it can change where it leads:
a user part (`https://pursebop.example@evil.example/`) or a backslash, which browsers read
as a slash, makes it an outside address."""

import re
from urllib.parse import urlsplit

WEB_ADDRESS = re.compile(
    r"""(?<![@\w.-])                                # not inside a word or an email address
    (?:[a-z][a-z0-9+.-]*://[^\s<>"']+               # any scheme, to the next space
      |(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}     # or a host name with a dotted ending
       (?::\d+)?(?:[/?#\\][^\s<>"']*)?)             # with a port or path
    (?<![.,;:!?)])                                  # less a full stop or comma after it
    """,
    re.IGNORECASE | re.VERBOSE,
)


def host_of(address):
    """The host an address leads to, lower-cased, or None when a user part or a backslash
    leaves that in doubt."""
    with_scheme = address if "://" in address else "http://" + address
    authority = re.split(r"[/?#]", with_scheme.split("://", 1)[1], maxsplit=1)[0]
    if "@" in authority or "\\" in authority:
        return None
    try:
        return (urlsplit(with_scheme).hostname or "").rstrip(".") or None
    except ValueError:
        return None


def is_own(address, host):
    found = host_of(address)
    host = (host or "").lower()
    return bool(found and host and (found == host or found.endswith("." + host)))


def outside_addresses(text, host):
    """The web addresses in `text` that lead anywhere but `host` (and hosts under it)."""
    return [m.group(0) for m in WEB_ADDRESS.finditer(text or "") if not is_own(m.group(0), host)]


def without_outside_addresses(text, host, replacement="[link removed]"):
    """`text` with every web address that leads off `host` replaced."""
    return WEB_ADDRESS.sub(
        lambda m: m.group(0) if is_own(m.group(0), host) else replacement, text or ""
    )
