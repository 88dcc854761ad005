"""What a kept page is keyed on: its address with only the query parameters pages read,
normalised, so `?utm_source=…`, `?fbclid=…` or `?page=abc` never make a page of their own.

- The apps register each parameter their pages read, with how its value normalises
  (`register`, from their ready()): `page=abc` and `page=1` are both the first page, whose
  key has no `page` at all. Any other parameter is left out of the key before the page is
  looked up, so the first request for a page serves every address that differs only by them.
- While a page renders, request.GET notes which parameters it read (`ReadParameters`): the
  page is kept under its path and those parameters only (`?page=2` on a letter, which has no
  pages of letters, is the letter's key). A page that reads a parameter nobody registered is
  never kept: its key could not hold what it showed.
- A page that shows something other than what was asked (`?page=99999` past the last page
  shows the last one) says so with `shown()`; it is kept under the key of what it showed.

The canonical form of an address is its path and those parameters, sorted; only that form
is offered to a CDN (s-maxage), so a CDN keeps one copy of each page, which a purge reaches.
"""

import hashlib
from urllib.parse import urlencode

from django.http import QueryDict

EVERYTHING = object()  # read as a whole: the page may depend on every parameter
PARAMETERS = {}  # name: normalise(raw value) -> the normalised value, or None (the default)


def register(name, normalise):
    """Pages read the query parameter `name`; `normalise` maps a raw value to the value that
    decides the page (a string), or None when the page is its default."""
    PARAMETERS[name] = normalise


def page_number(value):
    """A page number as Paginator.get_page() and int() read it: "1", "abc" and "" are the
    first page (None); " 07" is "7". Past the last page is for the page to say (shown())."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return None if number == 1 else str(number)


def asked(request):
    """{name: normalised value} of the registered parameters the request names, defaults left
    out (the last value of a repeated one, as request.GET.get() gives it)."""
    found = {}
    if not request.META.get("QUERY_STRING"):
        return found  # most requests: no QueryDict to build
    for name, normalise in PARAMETERS.items():
        values = request.GET.getlist(name)
        value = normalise(values[-1]) if values else None
        if value is not None:
            found[name] = value
    return found


def query(params):
    return urlencode(sorted(params.items()))


def key_for(request, query_string):
    """Scheme, host, path and the canonical query string."""
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query_string}"
    return "pagecache:page:" + hashlib.sha256(address.encode()).hexdigest()


def is_canonical(request, query_string):
    """The request's address is the page's canonical form, exactly."""
    return request.META.get("QUERY_STRING", "") == query_string


class ReadParameters(QueryDict):
    """request.GET while a page renders, noting in `read` the names of the parameters looked
    up (present or not), or EVERYTHING when it was read as a whole (copied, listed, encoded)."""

    def __init__(self, *args, **kwargs):
        self.read = set()
        super().__init__(*args, **kwargs)

    @classmethod
    def of(cls, source):
        tracked = cls(mutable=True, encoding=source.encoding)
        for name, values in source.lists():
            tracked.setlist(name, values)
        tracked._mutable = False
        tracked.read.clear()
        return tracked

    def __getitem__(self, key):  # get() too
        self.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


def _reads_everything(name):
    def method(self, *args, **kwargs):
        self.read.add(EVERYTHING)
        return getattr(QueryDict, name)(self, *args, **kwargs)

    method.__name__ = name
    return method


for _name in (
    "__iter__",
    "__len__",
    "__copy__",
    "__deepcopy__",
    "keys",
    "items",
    "lists",
    "values",
    "dict",
    "copy",
    "urlencode",
):
    setattr(ReadParameters, _name, _reads_everything(_name))


def shown(request, **values):
    """The page shows these values of its parameters, whatever was asked (page 7 of 7 for
    `?page=99999`; None: what it shows without the parameter): it is kept under them. Raw
    values, normalised as registered."""
    found = request.__dict__.setdefault("page_cache_shown", {})
    for name, value in values.items():
        found[name] = None if value is None else PARAMETERS[name](str(value))


def rendered(request, params):
    """The canonical query string of the page the request rendered, from the parameters it
    read; None when its key could not hold what it showed (it read a parameter nobody
    registered, or read the parameters as a whole from an address not in canonical form)."""
    read = getattr(request.GET, "read", set())
    if EVERYTHING in read:
        return query(params) if is_canonical(request, query(params)) else None
    if read - set(PARAMETERS):
        return None
    shown_values = getattr(request, "page_cache_shown", {})
    result = {}
    for name in read:
        value = shown_values[name] if name in shown_values else params.get(name)
        if value is not None:
            result[name] = value
    return query(result)
