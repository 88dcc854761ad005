"""With Redis, a copy in this process's memory of the kept pages it served lately.

Every request still asks Redis for the version, so a change made anywhere is seen at once, as
before; what it no longer fetches each time is the page itself (a 95 KB letter, or 20 KB
gzip-compressed). A copy is served only under the version it was kept at and, like the page
in Redis, only while fresh (pagecache.store.fetch). The copies are bounded by
settings.PAGE_CACHE_NEARBY_BYTES (0: none), the least recently served dropped first.
"""

import threading
from collections import OrderedDict

from django.conf import settings


def limit():
    return max(0, int(getattr(settings, "PAGE_CACHE_NEARBY_BYTES", 0)))


class NearbyPages:
    """{variant key: entry} in the order last served, with the bytes they hold."""

    def __init__(self):
        self._entries = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        size = len(entry.get("content") or b"")
        with self._lock:
            self._drop(key)
            if size > limit():
                return
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > limit():
                self._drop(next(iter(self._entries)))

    def discard(self, key):
        with self._lock:
            self._drop(key)

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key):
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.get("content") or b"")

    def __len__(self):
        return len(self._entries)


pages = NearbyPages()
