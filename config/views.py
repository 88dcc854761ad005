"""Site-wide error views: config may import every app, so the handlers that pick a page by
what failed live here."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.template import loader


def plain_page(template_name, status, context=None):
    """An error page in the site's design, rendered without the request, as Django renders its
    own 400 and 500 pages: the request may be what is broken, and the page needs no query."""
    return HttpResponse(loader.render_to_string(template_name, context), status=status)


def bad_request(request, exception):
    """handler400. A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE answers 413 and says so: the
    reader's text is still in the form they came from, and they only need to shorten it."""
    if isinstance(exception, RequestDataTooBig):
        length = getattr(settings, "COMMENT_MAX_LENGTH", None)
        return plain_page("413.html", 413, {"max_reply_length": f"{length:,}" if length else ""})
    return plain_page("400.html", 400)
