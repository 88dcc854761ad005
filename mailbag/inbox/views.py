"""The inbox's pages: the listing with its tabs, search, topic filter and CSV export; a
letter's page; and its actions (create the draft, shortlist, decline with or without the kind
email, back to new), by POST; and the addresses the inbox had before its model was named
ReaderLetter, which lead to the same pages.

The writer's email address is shown, searched and exported only for holders of "Can see
readers’ addresses" (guard.permissions); the CSV export cannot run a formula a writer typed
(guard.exports)."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn
from wagtail.snippets.views import snippets as snippet_views

from guard.exports import SafeSpreadsheetExportMixin
from guard.permissions import can_see_addresses
from mailbag import drafts, lifecycle
from mailbag.inbox.filters import DEFAULT_TAB, TABS, ReaderLetterFilterSet, search, tab_counts
from mailbag.inbox.permissions import can_change
from mailbag.models import ReaderLetter, ReaderLetterStatus


class ReaderLetterIndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView):
    template_name = "mailbag/inbox/index.html"
    filterset_class = ReaderLetterFilterSet
    search_backend_name = None
    default_ordering = "-submitted_at"
    paginate_by = 50

    def get_base_queryset(self):
        return ReaderLetter.objects.select_related("topic", "column", "draft")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return search(queryset, self.search_query, self.request.user)

    @property
    def is_searchable(self):
        return True

    def get_valid_orderings(self):
        return ["submitted_at", "-submitted_at"]

    @cached_property
    def tab(self):
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data.get("status") or DEFAULT_TAB
        return DEFAULT_TAB

    @property
    def list_export(self):
        fields = ["pen_name", "letter", "topic", "status", "submitted_at"]
        if can_see_addresses(self.request.user):
            fields.insert(2, "email")
        return fields

    @property
    def export_headings(self):
        return {"pen_name": "Pen name", "submitted_at": "Sent", "email": "Email"}

    @cached_property
    def columns(self):
        columns = [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet"),
            self._get_title_column_class(TitleColumn)(
                "pen_name",
                label="Letter",
                accessor=lambda s: f"{s.pen_name}: {s.excerpt}",
                get_url=lambda s: reverse(self.inspect_url_name, args=(quote(s.pk),)),
                get_title_id=lambda s: f"snippet_{quote(s.pk)}_title",
            ),
            Column("topic", label="Topic", accessor=lambda s: s.topic or "—"),
            Column("status", label="Status", accessor="get_status_display"),
            Column("draft", label="Draft", accessor=lambda s: s.draft.title if s.draft else "—"),
            DateColumn("submitted_at", label="Sent", sort_key="submitted_at"),
        ]
        if can_see_addresses(self.request.user):
            columns.insert(3, Column("email", label="Email", accessor=lambda s: s.email or "—"))
        return columns

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = tab_counts(self.request)
        context["tab"] = self.tab
        context["tabs"] = [(value, label, counts[value]) for value, label in TABS]
        return context


class ReaderLetterInspectView(snippet_views.InspectView):
    template_name = "mailbag/inbox/detail.html"
    act_url_name = None

    def get_page_title(self):
        return str(self.object)

    def get_page_subtitle(self):
        # Wagtail's inspect view names the object twice ("Letter from Bea: Letter from Bea
        # (7 Dec 2026)", in the title and the breadcrumbs): the title says it once, whole.
        return ""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": "Reader letters"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_notify_on_answer_display_value(self):
        if self.object.notify_on_answer:
            return "Yes — asked to be told when it is answered"
        return "No"

    def get_topic_display_value(self):
        return self.object.topic.name if self.object.topic else "None chosen"

    def get_column_display_value(self):
        return self.object.column.title if self.object.column else "None (its column was deleted)"

    def get_fields(self):
        fields = ["pen_name", "topic", "status", "submitted_at", "column", "notify_on_answer"]
        if can_see_addresses(self.request.user):
            fields.insert(1, "email")
        return fields

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reader_letter = self.object
        context["reader_letter"] = reader_letter
        context["can_act"] = can_change(self.request.user)
        context["act_url"] = reverse(self.act_url_name, args=[reader_letter.pk])
        context["draft_edit_url"] = (
            reverse("wagtailadmin_pages:edit", args=[reader_letter.draft_id])
            if reader_letter.draft_id
            else ""
        )
        return context


class ActView(View):
    """One letter's actions, by POST: draft, shortlist, new, decline (optionally emailed)."""

    inspect_url_name = None

    def post(self, request, pk):
        if not can_change(request.user):
            raise PermissionDenied
        reader_letter = get_object_or_404(ReaderLetter, pk=pk)
        action = request.POST.get("action")
        back = reverse(self.inspect_url_name, args=[reader_letter.pk])
        if action == "draft":
            try:
                page = drafts.create_draft(reader_letter, request.user)
            except drafts.NoColumn as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(back)
            messages.success(request, f"Draft letter “{page.title}” created: write the answer.")
            return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        if action == "decline":
            send = request.POST.get("send_email") == "on"
            lifecycle.decline(reader_letter, request.user, send_email=send)
            messages.success(
                request,
                "Letter declined." + (" The writer is sent the kind email." if send else ""),
            )
        elif action == "shortlist":
            lifecycle.change(reader_letter, ReaderLetterStatus.SHORTLISTED, request.user)
            messages.success(request, "Letter shortlisted.")
        elif action == "new":
            lifecycle.change(reader_letter, ReaderLetterStatus.NEW, request.user)
            messages.success(request, "Letter moved back to new.")
        else:
            messages.error(request, "Unknown action.")
        return HttpResponseRedirect(back)


def old_address(request, rest=""):
    """/admin/snippets/mailbag/submission/… (bookmarks, links in old messages) answers 301 to
    the same page under /admin/snippets/mailbag/readerletter/…, query string and all."""
    target = reverse("wagtailsnippets_mailbag_readerletter:list") + escape_uri_path(rest)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
