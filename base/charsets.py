"""A request's declared charset, checked before anything reads its body or query string.

Django decodes form bodies and the query string with the charset a request declares. A codec
that is not a text encoding (`charset=rot13`, `base64`) makes that decoding raise a LookupError
(a 500) wherever it happens: while Django builds the request when there is a query string,
else in whatever reads `request.POST` first, the CSRF check included. A charset Python cannot
even look up (a NUL, sent percent-encoded) raises ValueError while the request is built.
"""

import codecs

from django.core.exceptions import BadRequest
from django.core.handlers.wsgi import WSGIRequest

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def charset_problem(content_type, charset):
    """Why a request declaring `charset` cannot be read, or None when it can."""
    if charset is None:
        return None
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        return None  # Django ignores a charset Python does not know, and reads UTF-8
    except ValueError:
        return "a charset name Python cannot look up"
    try:
        b"a".decode(codec.name)  # b"" would decode: Python checks the codec only for input
    except LookupError:
        return f"{codec.name} is not a text encoding"
    except UnicodeError:
        pass  # a text encoding in which one byte is no whole character (UTF-16)
    if content_type in FORM_TYPES and codec.name != "utf-8":
        # Our pages and forms are UTF-8; Django itself refuses other urlencoded charsets.
        return f"a form body in {codec.name}, not UTF-8"
    return None


class DeclaredCharsetMiddleware:
    """Answer 400 (base.views.bad_request: our page) to a request whose declared charset
    cannot be read, before the CSRF check or a view reads its body or query string."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = charset_problem(request.content_type, request.content_params.get("charset"))
        if problem:
            raise BadRequest(f"Unreadable request: {problem}.")
        return self.get_response(request)


class Request(WSGIRequest):
    """A WSGIRequest that survives its own charset: Django looks the charset up, and decodes
    any query string with it, while it builds the request, where no middleware or error page
    can answer (the server's bare 500). Here the request falls back to UTF-8, the charset stays
    in content_params, and DeclaredCharsetMiddleware refuses it."""

    def _set_content_type_params(self, meta):
        try:
            super()._set_content_type_params(meta)
        except (LookupError, ValueError):
            # content_type and content_params are set before the lookup or decoding that raised
            self._encoding = None
            self.__dict__.pop("GET", None)
