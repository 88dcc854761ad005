"""The desk's queues, filters and search, in one place: the listing uses them, and so does a
bulk action over "all replies in the listing", which must act on exactly what was listed."""

import django_filters
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import Truncator
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from comments import targets
from comments.models import Reply, ReplyReport, ReplyStatus
from guard import listings

DEFAULT_QUEUE = "pending"
QUEUES = {
    "pending": "Awaiting moderation",
    "reported": "Reported",
    "approved": "Approved",
    "rejected": "Rejected",
    "spam": "Spam",
    "picked": "Editors’ picks",
    "all": "All replies",
}
SEARCH_FIELDS = ["comment", "user_name", "user_email"]


def excerpt(reply, words=24):
    """How the desk's lists show a reply: its first words, on one line."""
    return Truncator(" ".join(reply.comment.split())).words(words)


def open_reports():
    return ReplyReport.objects.filter(reply=OuterRef("pk"), resolved_at__isnull=True)


def in_queue(queryset, queue):
    if queue == "reported":
        return queryset.filter(Exists(open_reports()))
    if queue == "picked":  # "Readers weigh in"
        return queryset.filter(status=ReplyStatus.APPROVED, picked_at__isnull=False)
    if queue in ReplyStatus.values:
        return queryset.filter(status=queue)
    return queryset


def with_open_report_counts(queryset):
    counts = open_reports().order_by().values("reply").annotate(n=Count("pk")).values("n")[:1]
    return queryset.annotate(
        open_report_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))
    )


def queue_counts(request=None):
    """Replies in each queue: two queries, whatever the number of replies. The held count is
    kept on the request for the menu label (`held_count`), which is drawn afterwards."""
    counts = Reply.objects.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in ReplyStatus.values},
        all=Count("pk"),
        picked=Count("pk", filter=Q(status=ReplyStatus.APPROVED, picked_at__isnull=False)),
    )
    counts["reported"] = Reply.objects.filter(Exists(open_reports())).count()
    held_count.keep(request, counts[ReplyStatus.PENDING])
    return counts


# Replies awaiting moderation, counted once per request (menu label, tabs and dashboard).
held_count = listings.CountPerRequest(
    "_held_reply_count", lambda: Reply.objects.filter(status=ReplyStatus.PENDING).count()
)


def search(queryset, query, by_address=True):
    """Words of the query, each found in the text, the name or (`by_address`: for those who may
    see readers' addresses) the email, case-insensitive: a search by address must not tell
    anyone else which replies an address wrote."""
    fields = SEARCH_FIELDS if by_address else [f for f in SEARCH_FIELDS if f != "user_email"]
    return listings.search(queryset, query, fields)


def letter_choices():
    """Every page with replies, of any registered type (comments.targets), newest first.
    Wagtail pages share one id sequence, so a page's id alone names it."""
    choices = []
    for content_type in targets.content_types():
        # order_by(): xtd's default ordering would put thread_id and order into the DISTINCT,
        # giving one row per reply instead of one per letter.
        with_replies = Reply.objects.filter(content_type=content_type).order_by()
        pks = {int(pk) for pk in with_replies.values_list("object_pk", flat=True).distinct()}
        pages = content_type.model_class().objects.filter(pk__in=pks)
        choices += pages.values_list("pk", "title", "first_published_at")
    choices.sort(key=lambda row: (-(row[2].timestamp() if row[2] else 0), row[1]))
    return [(str(pk), title) for pk, title, _published in choices]


class ReplyFilterSet(WagtailFilterSet):
    queue = django_filters.ChoiceFilter(
        label="Queue", choices=list(QUEUES.items()), method="filter_queue", empty_label=None
    )
    letter = django_filters.ChoiceFilter(
        label="Letter", choices=letter_choices, method="filter_letter", empty_label="Any letter"
    )
    submit_date = django_filters.DateFromToRangeFilter(
        label="Posted between", widget=DateRangePickerWidget
    )

    class Meta:
        model = Reply
        fields = ["queue", "letter", "submit_date"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Looked up once per listing: callable choices are re-read whenever the field's
        # choices are iterated (validation, then rendering).
        self.filters["letter"].extra["choices"] = letter_choices()

    def filter_queue(self, queryset, name, value):
        return in_queue(queryset, value)

    def filter_queryset(self, queryset):
        # No queue chosen: the default one, without showing it as an active filter (the
        # tabs already say which queue this is).
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("queue"):
            queryset = in_queue(queryset, DEFAULT_QUEUE)
        return queryset

    def filter_letter(self, queryset, name, value):
        return queryset.filter(content_type__in=targets.content_types(), object_pk=value)


def listed_replies(params, request=None):
    """The replies a listing with these GET parameters shows (filters, then search)."""
    filterset = ReplyFilterSet(params, queryset=Reply.objects.all(), request=request)
    queryset = filterset.qs if filterset.is_valid() else Reply.objects.none()
    return search(queryset, params.get("q"))
