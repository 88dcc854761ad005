"""Throttled view passwords: Wagtail's forms for a password-protected page or collection of
documents take any number of guesses, so each client address gets VIEW_PASSWORD_RATE_LIMITS
tries per restriction. An attempt over the limit is answered 429 with the password form and
a message, and the password is not checked. config/urls.py routes Wagtail's two views
through these wrappers."""

import functools

from django.conf import settings
from django.forms.forms import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction

from guard import ratelimit

TOO_MANY = (
    "Too many password attempts from your address. Please wait up to {minutes} minutes, "
    "then try again."
)


def _exceeded(request, scope):
    """Count a POST (a guess) against the limits; the limit it exceeds, if any."""
    if request.method != "POST":
        return None
    return ratelimit.check(request, scope, settings.VIEW_PASSWORD_RATE_LIMITS)


def _refused_form(request, restriction, limit):
    """The password form, empty, carrying the message instead of a verdict on the password."""
    form = PasswordViewRestrictionForm(
        instance=restriction, initial={"return_url": request.POST.get("return_url", "")}
    )
    message = TOO_MANY.format(minutes=limit.minutes)
    form._errors = ErrorDict(
        {NON_FIELD_ERRORS: form.error_class([message], error_class="nonfield")}
    )
    return form


def throttle_page_password(view):
    """Wraps wagtail.views.authenticate_with_password."""

    @functools.wraps(view)
    def throttled(request, page_view_restriction_id, page_id):
        limit = _exceeded(request, f"page-password:{page_view_restriction_id}")
        if limit is not None:
            restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
            page = get_object_or_404(Page, id=page_id).specific
            action_url = reverse(
                "wagtailcore_authenticate_with_password", args=[restriction.id, page.id]
            )
            response = page.serve_password_required_response(
                request, _refused_form(request, restriction, limit), action_url
            )
            response.status_code = 429
            return response
        return view(request, page_view_restriction_id, page_id)

    return throttled


def throttle_document_password(view):
    """Wraps wagtail.documents.views.serve.authenticate_with_password."""

    @functools.wraps(view)
    def throttled(request, restriction_id):
        limit = _exceeded(request, f"document-password:{restriction_id}")
        if limit is not None:
            restriction = get_object_or_404(CollectionViewRestriction, id=restriction_id)
            context = {
                "form": _refused_form(request, restriction, limit),
                "action_url": reverse(
                    "wagtaildocs_authenticate_with_password", args=[restriction.id]
                ),
            }
            template = getattr(
                settings,
                "WAGTAILDOCS_PASSWORD_REQUIRED_TEMPLATE",
                "wagtaildocs/password_required.html",
            )
            return TemplateResponse(request, template, context, status=429)
        return view(request, restriction_id)

    return throttled
