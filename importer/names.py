"""Text as WordPress exports carry it, made fit for names, titles and slugs."""

import re
from html import unescape


def login(text):
    """A WordPress login as dc:creator should hold it: exports carry stray markup and
    punctuation around it (the theme unit test data has ">themereviewteam")."""
    return re.sub(r"^[^\w]+|[^\w]+$", "", strip_tags(text).strip())


def unique_slug(model, base):
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def strip_tags(text):
    return unescape(re.sub(r"<[^>]*>", "", text or ""))
