"""Whole pages for anonymous readers, kept and served without rendering.

`pagecache.store` keeps the pages and the site-wide version they were rendered at;
`pagecache.middleware.PageCacheMiddleware` serves them; `pagecache.signals` and the apps'
own signals call `invalidate()` when what readers see changes. Nothing here imports our
other apps: they call in (or send signals that `advice` connects here).
"""

from pagecache.store import invalidate  # noqa: F401
