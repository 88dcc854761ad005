"""The "Newsletter" menu of the admin: subscribers by state (a tab each, with counts), searched
and exported as CSV (guard.exports); sent issues with their counts (queued, sent, failed,
unknown, suppressed); and "Is this address suppressed?" with the counts by reason (each lookup
written in the audit log: who, never the address).

Addresses are shown, searched and exported only for holders of "Can see readers’ addresses"
(guard.permissions); others see subscriber numbers, states and dates."""

import django_filters
from django import forms
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from wagtail.admin.auth import user_passes_test
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from guard import mailboxes
from guard.exports import SafeSpreadsheetExportMixin
from guard.permissions import can_see_addresses
from newsletter import history, sending, suppression
from newsletter.models import Issue, Subscriber, SuppressedAddress

STATE_TABS = [(value, label) for value, label in Subscriber.State.choices] + [("all", "All")]


def state_counts():
    return Subscriber.objects.aggregate(
        **{value: Count("pk", filter=Q(state=value)) for value in Subscriber.State.values},
        all=Count("pk"),
    )


class SubscriberFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label="State", choices=STATE_TABS, method="filter_state", empty_label=None
    )

    def filter_state(self, queryset, name, value):
        return queryset if value in ("", "all") else queryset.filter(state=value)

    class Meta:
        model = Subscriber
        fields = ["state"]


class SubscriberIndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView):
    template_name = "newsletter/admin/subscribers.html"
    filterset_class = SubscriberFilterSet
    search_backend_name = None
    default_ordering = "-created"

    def get_base_queryset(self):
        return Subscriber.objects.annotate(column_count=Count("subscriptions"))

    @property
    def is_searchable(self):
        return can_see_addresses(self.request.user)

    def search_queryset(self, queryset):
        if not self.is_searching or not can_see_addresses(self.request.user):
            return queryset
        query = self.search_query.strip()
        return queryset.filter(Q(address__icontains=query) | Q(key=mailboxes.key(query)))

    def get_valid_orderings(self):
        return ["created", "-created"]

    @property
    def list_export(self):
        fields = ["pk", "state", "created", "confirmed_at", "column_count"]
        if can_see_addresses(self.request.user):
            fields.insert(1, "address")
        return fields

    @property
    def export_headings(self):
        return {
            "pk": "Subscriber",
            "address": "Email",
            "state": "State",
            "created": "Asked",
            "confirmed_at": "Confirmed",
            "column_count": "Columns",
        }

    @cached_property
    def columns(self):
        columns = [
            Column("pk", label="Subscriber", accessor=lambda s: f"#{s.pk}"),
            Column("state", label="State", accessor="get_state_display"),
            Column("column_count", label="Columns"),
            DateColumn("created", label="Asked", sort_key="created"),
            DateColumn("confirmed_at", label="Confirmed"),
        ]
        if can_see_addresses(self.request.user):
            columns.insert(1, Column("address", label="Email"))
        return columns

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = state_counts()
        current = "all"
        if self.filters and self.filters.is_valid():
            current = self.filters.form.cleaned_data.get("state") or "all"
        context["tab"] = current
        context["tabs"] = [(value, label, counts[value]) for value, label in STATE_TABS]
        return context


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = "Subscribers"
    menu_name = "newsletter-subscribers"
    add_to_reference_index = False
    index_view_class = SubscriberIndexView
    index_template_name = "newsletter/admin/subscribers.html"
    index_results_template_name = "guard/index_results.html"
    list_per_page = 50
    panels = ["state"]


class IssueIndexView(snippet_views.IndexView):
    search_backend_name = None
    default_ordering = "-created"

    @property
    def is_searchable(self):
        return False

    def get_valid_orderings(self):
        return ["created", "-created"]

    @cached_property
    def counts(self):
        return sending.issue_counts(list(self.object_list))

    def count(self, name):
        return lambda issue: self.counts.get(issue.pk, {}).get(name, 0)

    @cached_property
    def columns(self):
        return [
            Column("title", label="Letter or round-up"),
            Column("kind", label="Kind", accessor="get_kind_display"),
            DateColumn("created", label="Sent out", sort_key="created"),
            *[
                Column(name, label=name.capitalize(), accessor=self.count(name))
                for name in ("queued", "sending", "sent", "failed", "unknown", "suppressed")
            ],
        ]


class IssueViewSet(SnippetViewSet):
    model = Issue
    icon = "doc-full"
    menu_label = "Sent issues"
    menu_name = "newsletter-issues"
    add_to_reference_index = False
    index_view_class = IssueIndexView
    list_per_page = 50
    panels = ["title"]


class LookupForm(forms.Form):
    address = forms.CharField(label="Email address", max_length=254)


def can_look_up(user):
    return bool(user and user.is_active and user.has_perm("newsletter.view_subscriber"))


def suppression_view(request):
    form = LookupForm(request.GET or None)
    answer = None
    if form.is_valid():
        reason = suppression.reason_for(form.cleaned_data["address"])
        history.suppression_looked_up(request.user)
        answer = {
            "suppressed": reason is not None,
            "reason": reason and dict(SuppressedAddress.Reason.choices)[reason],
        }
    counts = dict(
        SuppressedAddress.objects.values_list("reason").annotate(n=Count("pk")).order_by()
    )
    return TemplateResponse(
        request,
        "newsletter/admin/suppression.html",
        {
            "form": form,
            "answer": answer,
            "counts": [
                (label, counts.get(value, 0)) for value, label in SuppressedAddress.Reason.choices
            ],
            "page_title": "Suppressed addresses",
            "header_title": "Is this address suppressed?",
        },
    )


class SuppressionViewSet(ViewSet):
    name = "newsletter_suppression"
    url_prefix = "newsletter/suppression"
    icon = "cross"
    menu_label = "Suppressed addresses"
    menu_name = "newsletter-suppression"

    def get_urlpatterns(self):
        from django.urls import path

        return [path("", user_passes_test(can_look_up)(suppression_view), name="index")]

    @property
    def menu_url(self):
        from django.urls import reverse

        return reverse(self.get_url_name("index"))


class NewsletterGroup(SnippetViewSetGroup):
    items = (SubscriberViewSet, IssueViewSet, SuppressionViewSet)
    menu_icon = "mail"
    menu_label = "Newsletter"
    menu_name = "newsletter"
    menu_order = 250
