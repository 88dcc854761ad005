"""Where whole pages are kept, and the site-wide version that says which are still good.

Every kept page is marked with the version it was rendered at and is served only while that
is still the current version; `invalidate()` moves the version on, which drops every kept page
in every process at once (a changed letter also changes its column, the home page, topics and
the suggestions on other letters, so one version for the site is the sound granularity).

Two stores (settings.PAGE_CACHE_STORE):
- "redis" (REDIS_URL set): pages and the version live in Redis, shared by every server;
  one round trip a request fetches both, or only the version when this process holds a copy
  of the page from that version (pagecache.nearby).
- "database" (no Redis): each process keeps its pages in its own memory, and reads the version
  from one database row, at most once per settings.PAGE_CACHE_VERSION_TTL seconds (a second):
  another process's change is seen within it, this process's at once; page views never write
  to the database.
A kept page is fresh for settings.PAGE_CACHE_TIMEOUT seconds (an hour) either way, then
rendered again. It stays in the store settings.PAGE_CACHE_STALE_IF_ERROR seconds longer, for
outages only (stale-if-error, RFC 5861): while the database cannot be reached, a page that was
current when it went away is served stale, marked `X-Page-Cache: stale`, rather than an error
page. "Current" is decided by the version, as for a fresh page: a page changed, hidden or taken
down before the outage moved the version on, and its old copy is never served again. With the
database store, the version is the one this process last read; with Redis, Redis's.
"""

import datetime
import functools
import hashlib
import math
import time
import uuid
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.text import compress_string

from pagecache import nearby

VERSION_KEY = "pagecache:version"
VERSION_ROW = 1
# Headers never replayed from a kept page: each response gets its own.
NOT_KEPT = {"set-cookie", "date", "x-page-cache", "content-length", "content-encoding"}
COMPRESSED_TYPES = ("text/", "application/rss+xml", "application/atom+xml", "application/xml")


def enabled():
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def stale_limit():
    """How long past its hour a kept page may be served while the database is down."""
    return max(0, int(getattr(settings, "PAGE_CACHE_STALE_IF_ERROR", 0)))


def _kept_for():
    return settings.PAGE_CACHE_TIMEOUT + stale_limit()


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _uses_redis():
    return settings.PAGE_CACHE_STORE == "redis"


def is_page_request(request):
    """A GET or HEAD of a Wagtail page (or a route of a routable page)."""
    if request.method not in ("GET", "HEAD"):
        return False
    return _serves_pages(get_urlconf(), request.path_info)


@functools.lru_cache(maxsize=4096)
def _serves_pages(urlconf, path):
    """Whether `path` goes to Wagtail's page view: what the URLs say of a path never changes
    while a process runs, and resolving it walked every pattern before Wagtail's, on every
    kept page served. Bounded: any path resolves, so a crawler could name millions."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return match.url_name == "wagtail_serve"


def anonymous(request):
    """Only a reader with no session shares pages: signed-in users (editors, moderators)
    always get their own page, with the user bar. A session cookie is enough to bypass:
    reading the session to see who is signed in would make the page vary on the cookie."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _quality(params):
    """The q-value of one Accept-Encoding item's parameters (1 when absent); 0 when it
    cannot be read, so a garbled preference never gets a compressed page."""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value.strip())
            except ValueError:
                return 0.0
            return quality if 0 <= quality <= 1 else 0.0
    return 1.0


def accepts_gzip(request):
    """Whether the client takes gzip (RFC 9110, 12.5.3): named with a q-value above 0, or
    not named while `*` has one. `gzip;q=0` refuses it."""
    return _takes_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))


@functools.lru_cache(maxsize=256)
def _takes_gzip(accept_encoding):
    """accepts_gzip() of one Accept-Encoding value: browsers send a handful of values, each
    parsed once per process (bounded: any client may send any)."""
    named, anything = None, None
    for item in accept_encoding.split(","):
        coding, *params = item.split(";")
        coding = coding.strip().lower()
        if coding in ("gzip", "x-gzip"):
            named = max(named or 0.0, _quality(params))
        elif coding == "*":
            anything = _quality(params)
    if named is not None:
        return named > 0
    return bool(anything)


def _variant(key, gzipped):
    return f"{key}:{'gzip' if gzipped else 'identity'}"


class Version(NamedTuple):
    """The site-wide version: `tag` marks the pages kept at it; `changed_at` (seconds since
    the epoch, None when unknown) is when what readers see last changed."""

    tag: object
    changed_at: float | None


def now():
    """The clock every time here is read from (one place for the tests to move)."""
    return time.time()


def last_modified(version, started):
    """The Last-Modified second of a page at `version` for a request that began at `started`:
    the end of the second in which what readers see last changed, once that second is over;
    None before. An HTTP date counts whole seconds, so a second change within that second
    would otherwise give the new page the old one's date (and a 304 to If-Modified-Since);
    a version still current after its second has ended had no other version in it."""
    if version.changed_at is None:
        return None
    modified = math.floor(version.changed_at) + 1
    return modified if started >= modified else None


def _redis_version(value):
    stamp, sep, _ = str(value).partition(":")
    try:
        return Version(value, float(stamp) if sep else None)
    except ValueError:
        return Version(value, None)


OUTAGE_PAUSE = 5  # seconds: after a failed version read, how long requests skip the database


class _LastRead:
    """The database store's last version read by this process, when it was read, and until
    when a failed read keeps requests from trying again (a PostgreSQL server that does not
    answer costs each request its connect timeout)."""

    version = None
    read_at = 0.0
    outage_until = 0.0


def version_ttl():
    """How long the database store trusts the version it last read (settings)."""
    return max(0.0, float(getattr(settings, "PAGE_CACHE_VERSION_TTL", 0)))


def _database_version():
    """The version row, or None when the database cannot be read (an outage). Read at most
    once per version_ttl() seconds per process: a kept page then costs no query (on SQLite,
    whose connections are not kept between requests, the read was a connection opened too).
    A change made by this process is seen at once (_bump forgets the version read); one made
    by another process or server, within the TTL."""
    from pagecache.models import PageCacheVersion

    moment = now()
    if _LastRead.version is not None and 0 <= moment - _LastRead.read_at < version_ttl():
        return _LastRead.version
    if moment < _LastRead.outage_until:
        return None
    try:
        found = PageCacheVersion.objects.filter(pk=VERSION_ROW).values_list("version", "changed_at")
        version, changed_at = found.first() or (0, None)
    except DatabaseError:
        _LastRead.outage_until = now() + OUTAGE_PAUSE
        return None
    _LastRead.version = Version(version, changed_at.timestamp() if changed_at else None)
    _LastRead.read_at = moment
    return _LastRead.version


def forget():
    """Forget the version last read and any outage noticed (a test's fresh start)."""
    _LastRead.version = None
    _LastRead.read_at = 0.0
    _LastRead.outage_until = 0.0
    nearby.pages.clear()


class Fetched(NamedTuple):
    """What the store holds for one request. `version`: the current version, None when the
    database cannot be read. `entry`: the kept page to serve, fresh and current, or None.
    `stale`: a current page past its hour, to serve instead of an error (None if none)."""

    version: Version | None
    entry: dict | None
    stale: dict | None


def _current(entry, tag, cache, gzipped):
    """`entry` (following an address's alias to the page it shows) if kept at `tag`."""
    if entry is not None and "alias" in entry and entry.get("version") == tag:
        entry = cache.get(_variant(entry["alias"], gzipped))
    if entry is None or entry.get("version") != tag or "alias" in entry:
        return None
    return entry


def _age(entry):
    """Seconds since the page was kept."""
    return now() - entry.get("kept_at", 0)


def fetch(key, gzipped=False):
    """The version and the page kept under `key` (Fetched), in the representation the client
    takes, so nobody's request fetches or unpacks the other."""
    cache = _cache()
    key = _variant(key, gzipped)
    if _uses_redis():
        near = _nearby_current(cache, key)
        if near is not None:
            return near
        found = cache.get_many([VERSION_KEY, key])
        value = found.get(VERSION_KEY)
        if value is None:  # never set, or lost: start a new one (no kept page matches it)
            cache.add(VERSION_KEY, _new_redis_version(), None)
            value = cache.get(VERSION_KEY)
        version = _redis_version(value)
        entry = found.get(key)
    else:
        version = _database_version()
        entry = cache.get(key)
    known = version or _LastRead.version  # in an outage, what was current when it began
    entry = _current(entry, known.tag, cache, gzipped) if known else None
    if entry is None:
        return Fetched(version, None, None)
    age = _age(entry)
    if version is not None and age <= settings.PAGE_CACHE_TIMEOUT:
        if _uses_redis():
            nearby.pages.put(key, entry)
        return Fetched(version, entry, None)
    return Fetched(version, None, entry if age <= _kept_for() else None)


def _nearby_current(cache, key):
    """With Redis: this process's copy of the page under `key` (pagecache.nearby), if it is
    fresh and of the version Redis holds, with only the version asked of Redis; else None
    (and the copy forgotten), and the page is fetched from Redis."""
    near = nearby.pages.get(key) if nearby.limit() else None
    if near is None:
        return None
    value = cache.get(VERSION_KEY)
    version = _redis_version(value) if value is not None else None
    if (
        version is not None
        and near.get("version") == version.tag
        and _age(near) <= settings.PAGE_CACHE_TIMEOUT
    ):
        return Fetched(version, near, None)
    nearby.pages.discard(key)
    return None


def alias(key, canonical_key, version):
    """Requests looked up under `key` are served the page kept under `canonical_key` (an
    address past the last page shows the last page: pagecache.keys), with nothing rendered."""
    entry = {"version": version.tag, "alias": canonical_key}
    _cache().set_many({_variant(key, False): entry, _variant(key, True): entry}, _kept_for())


def storable(request, response):
    """A page rendered for everyone: public, complete, and holding nothing of one reader's.
    A cookie set, `Vary: Cookie` (the session or CSRF token was read) or a private/no-cache
    Cache-Control (Wagtail's password form) keeps it out, whatever the template did."""
    if not getattr(request, "shared_page", False) or request.method != "GET":
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",")}
    if "cookie" in vary or "*" in vary:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-cache", "no-store"))


def save(key, version, response, gzipped=False, query=""):
    """Keep the page as it is and, when it compresses, gzip-compressed too, each under its
    own key: a browser takes the compressed copy as it is, and a client that sends no
    Accept-Encoding (a monitor, a script, some proxies) the plain one, with nothing
    decompressed per request. A kept page holds no secret (no CSRF token, nothing of one
    reader's), so compressing it cannot leak one (BREACH); pages with a token are never
    kept, and never compressed. `query`: the canonical query string of the page kept
    (pagecache.keys). Returns the entry this request takes."""
    content = response.content
    tag = hashlib.sha256(content).hexdigest()[:32]
    compressible = response.get("Content-Type", "").startswith(COMPRESSED_TYPES)
    compressible = compressible and len(content) > 200
    common = {
        # The same page rendered by any server has the same tag (not so Last-Modified).
        "etag": f'"{tag}"',
        "version": version.tag,
        "kept_at": now(),
        "query": query,
        "status": response.status_code,
        "headers": [(k, v) for k, v in response.items() if k.lower() not in NOT_KEPT],
        "varies": compressible,  # Vary: Accept-Encoding
    }
    plain = {**common, "content": content, "encoding": None}
    entries = {_variant(key, False): plain, _variant(key, True): plain}
    if compressible:  # a 119 KB letter page is about 20 KB compressed
        entries[_variant(key, True)] = {
            **common,
            "etag": f'"{tag}-gzip"',  # another representation of the page: its own tag
            "content": compress_string(content),
            "encoding": "gzip",
        }
    _cache().set_many(entries, _kept_for())
    if _uses_redis():
        nearby.pages.put(_variant(key, gzipped), entries[_variant(key, gzipped)])
    return entries[_variant(key, gzipped)]


def replay(entry, request):
    """The kept page as this request takes it, nothing but headers for HEAD."""
    body = entry["content"]
    response = HttpResponse(b"" if request.method == "HEAD" else body, status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["Content-Length"] = str(len(body))
    response["ETag"] = entry["etag"]
    if entry["encoding"]:
        response["Content-Encoding"] = entry["encoding"]
    return response


def _new_redis_version():
    return f"{now():.6f}:{uuid.uuid4().hex}"


def _bump():
    if _uses_redis():
        _cache().set(VERSION_KEY, _new_redis_version(), None)
        return
    from pagecache.models import PageCacheVersion

    _LastRead.version = None  # no page of the old version is served stale from this process
    changed_at = datetime.datetime.fromtimestamp(now(), tz=datetime.UTC)
    moved = PageCacheVersion.objects.filter(pk=VERSION_ROW).update(
        version=F("version") + 1, changed_at=changed_at
    )
    if not moved:  # a database flushed by tests, or restored without the row
        PageCacheVersion.objects.get_or_create(pk=VERSION_ROW, defaults={"version": 1})


def invalidate():
    """What readers see changed: no kept page is served again, in any process. Called now (a
    page rendered before the change committed carries the old version) and again once the
    transaction commits (a page rendered from the old data while it was still uncommitted
    would otherwise be kept under the new version)."""
    if not enabled():
        return
    _bump()
    if connection.in_atomic_block:
        transaction.on_commit(_bump)
