"""Who a reply says it is from: readers' names (cleaned by guard.text of what hides or reverses
text) kept from passing for the site's own people; staff bound to their accounts, with their badge.

Content apps name their people without comments importing them: from their AppConfig.ready()
they register callables that give reserved names (a column's columnists), titles (a column's:
each part of a title is reserved too, so "PurseBop" alone passes no more than "Dear PurseBop")
and a user's badge (a columnist's account):

    identities.reserve(lambda: Columnist.objects.values_list("name", flat=True))
    identities.reserve_titles(lambda: AdviceIndexPage.objects.all(), "title")
    identities.badge_for_user(lambda user: "columnist" if ... else "")

Names are compared by a key that folds what looks alike: case, accents, compatibility forms,
and the Cyrillic and Greek letters drawn like Latin ones ("Mаrgot" with a Cyrillic а is
"Margot")."""

import re
import unicodedata

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from wagtail.models import Site

_reserved_sources = []
_title_sources = []
_badge_sources = []
# Marks a title among the reserved names (a character no name or title can hold: guard.text
# drops control characters from both).
_TITLE = "\x1f"
# A part of a title is reserved when its key has at least this many letters ("PurseBop" of
# "Dear PurseBop"; not "Dear").
TITLE_PART_MIN = 5
TITLE_WORDS_READ = 8

# Cyrillic and Greek letters drawn like Latin ones (after case folding), as Unicode's
# confusables list pairs them: a reader's name spelt with them must not pass for a staff name.
_LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
        "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ζ": "z",
    }
)  # fmt: skip


def reserve(source):
    """Register a callable returning names readers may not sign with."""
    _reserved_sources.append(source)


def reserve_titles(source, field):
    """Register a callable returning a queryset whose `field` holds titles readers may not sign
    with, whole or in part (TITLE_PART_MIN)."""
    _title_sources.append((source, field))


def _titles(queryset, field):
    """The queryset's titles, marked as titles, as one column a UNION can join."""
    return (
        queryset.order_by()
        .annotate(_reserved_title=Concat(Value(_TITLE), field))
        .values_list("_reserved_title", flat=True)
    )


def badge_for_user(source):
    """Register a callable returning a user's badge ("columnist") or ""."""
    _badge_sources.append(source)


def _key(name):
    """What two names must share to be the same name: letters and digits, compatibility
    forms folded (fullwidth, ligatures), accents and case ignored."""
    folded = unicodedata.normalize("NFKD", name or "").casefold()
    letters = "".join(c for c in folded if not unicodedata.combining(c)).translate(_LOOK_ALIKES)
    return re.sub(r"[\W_]+", "", letters)


def _title_keys(title):
    """A title's key, and the keys of its runs of words long enough to pass for it."""
    words = title.split()[:TITLE_WORDS_READ]
    runs = {
        _key(" ".join(words[i:j])) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
    }
    return {key for key in runs if len(key) >= TITLE_PART_MIN} | {_key(title)}


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
    """Every name a reader may not sign with, in one query: the site names and content apps'
    titles (whole or in part), staff accounts' full names and usernames, and what content apps
    reserve (their querysets of names are joined into the same UNION; any other iterable is
    read as it is)."""
    staff = staff_users().order_by()
    parts = [
        _titles(Site.objects.exclude(site_name=""), "site_name"),
        staff.annotate(full_name=Concat("first_name", Value(" "), "last_name"))
        .values_list("full_name", flat=True)
        .distinct(),
        staff.values_list("username", flat=True).distinct(),
    ]
    names = set()
    parts += [_titles(source(), field) for source, field in _title_sources]
    for source in _reserved_sources:
        found = source()
        if isinstance(found, QuerySet):
            parts.append(found.order_by())
        else:
            names |= set(found)
    names |= set(parts[0].union(*parts[1:]))
    keys = set()
    for name in names:
        keys |= _title_keys(name[1:]) if name.startswith(_TITLE) else {_key(name)}
    return {key for key in keys if key}


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
