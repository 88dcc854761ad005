"""What the admin's lists of readers' posts share (the desk's replies, the inbox's letters):
a search bounded in words and length, a count of waiting posts asked once per request, and
the dashboard panel of the newest ones.

The search is bounded because its words come from a query string: twelve words of at most
200 characters each make at most twelve LIKE clauses per field, whatever is typed."""

from django.db.models import Q
from django.urls import reverse
from wagtail.admin.ui.components import Component

SEARCH_WORDS = 12
WORD_LENGTH = 200


def search(queryset, query, fields):
    """Rows holding every word of `query` (the first SEARCH_WORDS, each cut at WORD_LENGTH)
    in one of `fields`, case-insensitive."""
    for word in (query or "").split()[:SEARCH_WORDS]:
        word_q = Q()
        for field in fields:
            word_q |= Q(**{f"{field}__icontains": word[:WORD_LENGTH]})
        queryset = queryset.filter(word_q)
    return queryset


class CountPerRequest:
    """A number the menu label, the listing's tabs and the dashboard all show: counted once
    per request (call it with the request), or kept from a listing that counted it already
    (`keep`). Without a request it counts every time."""

    def __init__(self, attribute, count):
        self.attribute = attribute  # where the request keeps it
        self.count = count  # a function that counts

    def __call__(self, request=None):
        if request is not None and hasattr(request, self.attribute):
            return getattr(request, self.attribute)
        count = self.count()
        self.keep(request, count)
        return count

    def keep(self, request, count):
        if request is not None:
            setattr(request, self.attribute, count)


class NewestPanel(Component):
    """A dashboard panel: the newest posts waiting for someone, each linked to its page, how
    many wait, and a link to their list. Its template gets `rows` of (post, excerpt, url),
    `count` and `list_url`."""

    name = ""
    order = 0
    template_name = ""
    limit = 5
    inspect_url_name = ""  # the admin page of one post
    list_url_name = ""  # the list the panel opens

    def __init__(self, request):
        self.request = request

    def newest(self):
        """The waiting posts, newest first (a queryset)."""
        raise NotImplementedError

    def count(self):
        """How many wait (a CountPerRequest, called with the request)."""
        raise NotImplementedError

    def excerpt(self, post):
        return post.excerpt

    def get_context_data(self, parent_context):
        return {
            "rows": [
                (post, self.excerpt(post), reverse(self.inspect_url_name, args=[post.pk]))
                for post in self.newest()[: self.limit]
            ],
            "count": self.count(),
            "list_url": reverse(self.list_url_name),
        }
