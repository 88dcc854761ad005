"""Who a reply says it is from: readers' names (cleaned by guard.text of what hides or reverses
text) kept from passing for the site's own people; staff bound to their accounts, with their badge.

Content apps name their people without comments importing them: from their AppConfig.ready()
they register callables that give reserved names (a column's columnists and titles) and a
user's badge (a columnist's account):

    identities.reserve(lambda: Columnist.objects.values_list("name", flat=True))
    identities.badge_for_user(lambda user: "columnist" if ... else "")
"""

import re
import unicodedata

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from wagtail.models import Site

_reserved_sources = []
_badge_sources = []


def reserve(source):
    """Register a callable returning names readers may not sign with."""
    _reserved_sources.append(source)


def badge_for_user(source):
    """Register a callable returning a user's badge ("columnist") or ""."""
    _badge_sources.append(source)


def _key(name):
    """What two names must share to be the same name: letters and digits, compatibility
    forms folded (fullwidth, ligatures), accents and case ignored."""
    folded = unicodedata.normalize("NFKD", name or "").casefold()
    return re.sub(r"[\W_]+", "", "".join(c for c in folded if not unicodedata.combining(c)))


def staff_users():
    """Active users who can use the Wagtail admin (one query: the permission is joined, not
    looked up first)."""
    access = {"codename": "access_admin", "content_type__app_label": "wagtailadmin"}
    holders = (
        Q(is_superuser=True)
        | Q(**{f"groups__permissions__{name}": value for name, value in access.items()})
        | Q(**{f"user_permissions__{name}": value for name, value in access.items()})
    )
    return get_user_model().objects.filter(holders, is_active=True).distinct()


def account_name(user):
    return user.get_full_name().strip() or user.get_username()


def reserved_names():
    """Every name a reader may not sign with, in one query: the site names, staff accounts'
    full names and usernames, and what content apps reserve (their querysets of names are
    joined into the same UNION; any other iterable is read as it is)."""
    staff = staff_users().order_by()
    parts = [
        Site.objects.exclude(site_name="").order_by().values_list("site_name", flat=True),
        staff.annotate(full_name=Concat("first_name", Value(" "), "last_name"))
        .values_list("full_name", flat=True)
        .distinct(),
        staff.values_list("username", flat=True).distinct(),
    ]
    names = set()
    for source in _reserved_sources:
        found = source()
        if isinstance(found, QuerySet):
            parts.append(found.order_by())
        else:
            names |= set(found)
    names |= set(parts[0].union(*parts[1:]))
    return {key for key in map(_key, names) if key}


def is_reserved(name):
    """Whether a reader's name would pass for the site, a columnist or a member of staff."""
    key = _key(name)
    return bool(key) and key in reserved_names()


def badge(user):
    """A staff member's badge: "columnist" when a content app says so, else "editor"."""
    for source in _badge_sources:
        if found := source(user):
            return found
    return "editor"
