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
from django.contrib.auth.models import Permission
from django.db.models import Q
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
    """Active users who can use the Wagtail admin."""
    permission = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    holders = Q(is_superuser=True)
    if permission is not None:
        holders |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    return get_user_model().objects.filter(holders, is_active=True).distinct()


def account_name(user):
    return user.get_full_name().strip() or user.get_username()


def reserved_names():
    names = {site.site_name for site in Site.objects.exclude(site_name="")}
    for user in staff_users().only("first_name", "last_name", "username"):
        names |= {account_name(user), user.get_username()}
    for source in _reserved_sources:
        names |= set(source())
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
