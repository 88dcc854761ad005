"""Sending a letter: mailbag.posting does the work; this turns its outcome into a response.
Every refusal shows the form again with everything the reader typed and a status that says
why; so does a failing database (503). A stale or missing CSRF token, or an "opened at" value
that cannot post (used already), is no error: the confirm step shows the form again,
everything kept, with a fresh token and value, and one more press of Send posts it."""

import logging

from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from mailbag.models import WriteInPage
from mailbag.posting import Result, submit

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = (
    "We could not save your letter just now: something went wrong on our side. Your text is "
    "below: please copy it and send it again in a few minutes."
)


# Page ids are 32-bit on every database; a larger number in the URL overflowed SQLite's
# integer binding (a 500) where it should be a page that does not exist.
LARGEST_PAGE_ID = 2**31 - 1


def _page(page_id):
    if not 0 < page_id <= LARGEST_PAGE_ID:
        raise Http404("No such write-in page.")
    page = WriteInPage.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404("No such write-in page.")
    return page


def form_page(request, page, form, message="", status=200, confirm=False):
    response = page.render(
        request,
        context_overrides={
            "form": form,
            "message": message,
            "column": page.get_column(),
            "confirm": confirm,
        },
    )
    response.status_code = status
    return response


def _unavailable(request):
    response = TemplateResponse(
        request,
        "mailbag/unavailable.html",
        {"message": UNAVAILABLE_MESSAGE, "kept_text": request.POST.get("letter", "")},
        status=503,
    )
    response["Retry-After"] = "60"
    return response


@csrf_protect
@require_POST
def send_letter(request, page_id):
    try:
        page = _page(page_id)
        outcome = submit(request, page)
    except DatabaseError:
        logger.exception("A reader's letter could not be saved: the database failed")
        return _unavailable(request)
    if outcome.result is Result.CONFIRM:
        return form_page(request, page, outcome.form, confirm=True)
    if outcome.result is Result.REFUSED:
        return form_page(request, page, outcome.form, outcome.message, outcome.status)
    return redirect(page.url + page.reverse_subpage("sent"))


def letter_csrf_failure(request, reason=""):
    """base.views.csrf_failure calls this: the confirm step, with everything the reader
    typed, a one-use "opened at" value that keeps their typing time and a fresh token (the
    template's csrf_token sets the cookie). Nothing is stored."""
    page_id = request.resolver_match.kwargs.get("page_id") if request.resolver_match else None
    try:
        page = _page(page_id)
    except DatabaseError:
        return _unavailable(request)
    return form_page(request, page, page.letter_form(data=request.POST).fresh(), confirm=True)


send_letter.csrf_failure = letter_csrf_failure
