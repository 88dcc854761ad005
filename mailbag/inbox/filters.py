"""The inbox's tabs (one per status, and all letters), their counts, its search and its
column and topic filters: the listing uses them."""

import django_filters
from django.db.models import Count, Q
from wagtail.admin.filters import WagtailFilterSet

from advice.models import AdviceIndexPage, Topic
from guard import listings
from guard.permissions import can_see_addresses
from mailbag.models import ReaderLetter, ReaderLetterStatus

DEFAULT_TAB = ReaderLetterStatus.NEW
TABS = [(value, label) for value, label in ReaderLetterStatus.choices] + [("all", "All letters")]


# New letters, counted once per request (menu label, tabs and dashboard).
new_count = listings.CountPerRequest(
    "_new_letter_count",
    lambda: ReaderLetter.objects.filter(status=ReaderLetterStatus.NEW).count(),
)


def tab_counts(request=None):
    counts = ReaderLetter.objects.aggregate(
        **{value: Count("pk", filter=Q(status=value)) for value in ReaderLetterStatus.values},
        all=Count("pk"),
    )
    new_count.keep(request, counts[ReaderLetterStatus.NEW])
    return counts


def search(queryset, query, user):
    """Every word of the query in the letter or the pen name (or, for those who may see it,
    the address): searching by address must not tell anyone else that it wrote in."""
    fields = ["letter", "pen_name"] + (["email"] if can_see_addresses(user) else [])
    return listings.search(queryset, query, fields)


class ReaderLetterFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=TABS, method="filter_status", empty_label=None
    )
    column = django_filters.ModelChoiceFilter(
        label="Column",
        queryset=AdviceIndexPage.objects.order_by("path"),
        empty_label="Any column",
    )
    topic = django_filters.ModelChoiceFilter(
        label="Topic", queryset=Topic.objects.all(), empty_label="Any topic"
    )

    class Meta:
        model = ReaderLetter
        fields = ["status", "column", "topic"]

    def filter_status(self, queryset, name, value):
        return queryset if value == "all" else queryset.filter(status=value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=DEFAULT_TAB)
        return queryset
