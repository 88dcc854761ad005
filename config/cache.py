"""The cache without Redis: per-process local memory, so a page view never writes to the
database (and never waits behind a writer), with a ceiling on how long anything is kept."""

import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class LocalMemoryCache(LocMemCache):
    """Django's LocMemCache, keeping no entry longer than OPTIONS["MAX_TIMEOUT"] seconds.

    Each process has its own copy, and a change clears only the copy of the process that made
    it. Wagtail caches its site root paths (how page URLs are built) for an hour, whatever the
    default timeout says: the ceiling bounds how long another process builds links from an old
    Site (hostname, port or home page changed in the admin).
    """

    def __init__(self, name, params):
        super().__init__(name, params)
        self.max_timeout = params.get("OPTIONS", {}).get("MAX_TIMEOUT")

    def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT):
        expires = super().get_backend_timeout(timeout)
        if self.max_timeout is None:
            return expires
        ceiling = time.time() + self.max_timeout
        return ceiling if expires is None else min(expires, ceiling)
