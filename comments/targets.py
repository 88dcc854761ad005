"""Which pages take replies: the contract between this app and the apps whose pages readers
reply under. `comments` never imports those apps; they register here.

A content app registers each page model that takes replies, from its AppConfig.ready():

    from comments import targets
    targets.register(LetterPage)

and the model inherits `TakesReplies` (or provides the same names itself):

- `allow_replies`: a boolean field editors switch replies off with;
- `replies_open_since()`: the date the closing period counts from (default: first published);
- `get_absolute_url()`: where the page is (a reply's permalink is this plus "#reply-<id>");
- `title`, and Wagtail's `live` and `get_site()` (every target is a Wagtail page).

The posting view, the closing rule, the desk's letter filter, the links in emails and the
demo replies all work through this registry, for any registered model.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

_registry = {}  # "app_label.model" -> model class

MAX_PK = 2**63 - 1  # the largest integer SQLite and PostgreSQL (bigint) store


class TakesReplies:
    """What a page that takes replies provides to comments (see the module docstring)."""

    def replies_open_since(self):
        published = getattr(self, "first_published_at", None)
        return published.date() if published else None

    def get_absolute_url(self):
        """django-comments-xtd links to a reply through this (Wagtail pages lack it)."""
        return self.url


def register(model):
    """Let readers reply under pages of `model`."""
    _registry[model._meta.label_lower] = model
    return model


def models():
    return list(_registry.values())


def content_types():
    """The content types of every registered model (cached by Django after the first call)."""
    return [ContentType.objects.get_for_model(model) for model in _registry.values()]


def find(label, pk):
    """The live, public page a posted form points at (a registered model's label and a pk, as
    the form carries them: "app_label.modelname", "42"), or None."""
    model = _registry.get(str(label or "").lower())
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if model is None or not 0 < pk <= MAX_PK:  # a larger number overflows the database
        return None
    return model.objects.live().public().filter(pk=pk).first()


def closed_reason(target, policy, today=None):
    """Why replies to `target` are refused, or "" when they are open."""
    kind = target._meta.verbose_name  # "letter"
    if not target.live:
        return f"This {kind} is not published."
    if not target.allow_replies:
        return f"Replies are turned off for this {kind}."
    since = target.replies_open_since()
    if policy.close_after_days and since is not None:
        try:
            closes = since + datetime.timedelta(days=policy.close_after_days)
        except OverflowError:  # past year 9999: a letter so dated never closes
            return ""
        if (today or timezone.localdate()) >= closes:
            return f"Replies to this {kind} closed on {closes:%-d %B %Y}."
    return ""
