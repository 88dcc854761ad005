"""The query parameters the site's pages read, registered with the page cache, which keys a
kept page on them and on nothing else the address holds (pagecache.keys): the column's own
here, and those of the apps above it (which may not import the page cache) through
`register` and `shown` from their ready() and views."""

from comments.threads import DEFAULT_SORT, SORTS
from pagecache import keys

register = keys.register  # (name, normalise): normalise(raw) is the value, None the default
shown = keys.shown  # (request, name=value): the value the page showed, whatever was asked


def sort(value):
    """A reply order as comments.threads reads it: anything unknown is the default."""
    return value if value in SORTS and value != DEFAULT_SORT else None


def connect():
    register("page", keys.page_number)  # a listing's page of letters
    register("replies", keys.page_number)  # a letter's page of replies
    register("sort", sort)  # and their order
