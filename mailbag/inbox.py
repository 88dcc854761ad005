"""The editors' inbox in the Wagtail admin ("Reader letters"): tabs per status with counts,
search, a topic filter, a letter's page with its actions (create the draft, shortlist,
decline with or without the kind email, back to new), bulk actions, a dashboard panel and the
count of new letters in the menu label.

The writer's email address is shown, searched and exported only for holders of "Can see
readers’ addresses" (guard.permissions); the CSV export cannot run a formula a writer typed
(guard.exports); the chooser lists letters by pen name and date, and only to users who may
view letters. The bulk actions are in mailbag.bulk_actions."""

import django_filters
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin.auth import user_passes_test
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from advice.models import Topic
from guard.exports import SafeSpreadsheetExportMixin
from guard.permissions import can_see_addresses
from mailbag import drafts, lifecycle
from mailbag.models import Submission, SubmissionStatus

VIEW = "mailbag.view_submission"
CHANGE = "mailbag.change_submission"
DEFAULT_TAB = SubmissionStatus.NEW
TABS = [(value, label) for value, label in SubmissionStatus.choices] + [("all", "All letters")]


def can_view(user):
    return bool(user and user.is_active and user.has_perm(VIEW))


def can_change(user):
    return bool(user and user.is_active and user.has_perm(CHANGE))


def new_count(request=None):
    """New letters, counted once per request (menu label, tabs and dashboard)."""
    if request is not None and hasattr(request, "_new_letter_count"):
        return request._new_letter_count
    count = Submission.objects.filter(status=SubmissionStatus.NEW).count()
    if request is not None:
        request._new_letter_count = count
    return count


def tab_counts(request=None):
    counts = Submission.objects.aggregate(
        **{value: Count("pk", filter=Q(status=value)) for value in SubmissionStatus.values},
        all=Count("pk"),
    )
    if request is not None:
        request._new_letter_count = counts[SubmissionStatus.NEW]
    return counts


def search(queryset, query, user):
    """Every word of the query in the letter or the pen name (or, for those who may see it,
    the address): searching by address must not tell anyone else that it wrote in."""
    fields = ["letter", "pen_name"] + (["email"] if can_see_addresses(user) else [])
    for word in (query or "").split()[:12]:
        word_q = Q()
        for field in fields:
            word_q |= Q(**{f"{field}__icontains": word[:200]})
        queryset = queryset.filter(word_q)
    return queryset


class SubmissionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=TABS, method="filter_status", empty_label=None
    )
    topic = django_filters.ModelChoiceFilter(
        label="Topic", queryset=Topic.objects.all(), empty_label="Any topic"
    )

    class Meta:
        model = Submission
        fields = ["status", "topic"]

    def filter_status(self, queryset, name, value):
        return queryset if value == "all" else queryset.filter(status=value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=DEFAULT_TAB)
        return queryset


class SubmissionIndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView):
    template_name = "mailbag/inbox/index.html"
    filterset_class = SubmissionFilterSet
    search_backend_name = None
    default_ordering = "-submitted_at"
    paginate_by = 50

    def get_base_queryset(self):
        return Submission.objects.select_related("topic", "column", "draft")

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


class SubmissionInspectView(snippet_views.InspectView):
    template_name = "mailbag/inbox/detail.html"
    act_url_name = None

    def get_page_title(self):
        return f"Letter from {self.object.pen_name}"

    def get_fields(self):
        fields = ["pen_name", "topic", "status", "submitted_at", "column", "notify_on_answer"]
        if can_see_addresses(self.request.user):
            fields.insert(1, "email")
        return fields

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.object
        context["submission"] = submission
        context["can_act"] = can_change(self.request.user)
        context["act_url"] = reverse(self.act_url_name, args=[submission.pk])
        context["draft_edit_url"] = (
            reverse("wagtailadmin_pages:edit", args=[submission.draft_id])
            if submission.draft_id
            else ""
        )
        return context


class ActView(View):
    """One letter's actions, by POST: draft, shortlist, new, decline (optionally emailed)."""

    inspect_url_name = None

    def post(self, request, pk):
        if not can_change(request.user):
            raise PermissionDenied
        submission = get_object_or_404(Submission, pk=pk)
        action = request.POST.get("action")
        back = reverse(self.inspect_url_name, args=[submission.pk])
        if action == "draft":
            try:
                page = drafts.create_draft(submission, request.user)
            except drafts.NoColumn as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(back)
            messages.success(request, f"Draft letter “{page.title}” created: write the answer.")
            return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        if action == "decline":
            send = request.POST.get("send_email") == "on"
            lifecycle.decline(submission, request.user, send_email=send)
            messages.success(
                request,
                "Letter declined." + (" The writer is sent the kind email." if send else ""),
            )
        elif action == "shortlist":
            lifecycle.change(submission, SubmissionStatus.SHORTLISTED, request.user)
            messages.success(request, "Letter shortlisted.")
        elif action == "new":
            lifecycle.change(submission, SubmissionStatus.NEW, request.user)
            messages.success(request, "Letter moved back to new.")
        else:
            messages.error(request, "Unknown action.")
        return HttpResponseRedirect(back)


class InboxChooserViewSet(SnippetChooserViewSet):
    """Wagtail's snippet chooser asks for no permission before listing: letters are for those
    who may view them. It lists str(letter): pen name and date, never the address."""

    def construct_view(self, view_class, **kwargs):
        return user_passes_test(can_view)(super().construct_view(view_class, **kwargs))


class NewCountMenuItem(MenuItem):
    """The menu label carries the number of new letters (given to the rendered component
    only: menu items are shared by every request)."""

    def is_shown(self, request):
        return can_view(request.user)

    def render_component(self, request):
        count = new_count(request)
        label = f"{self.label} ({count} new)" if count else self.label
        return LinkMenuItemComponent(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            # The admin's global stylesheet (static/css/desk.css) lets this label wrap, so
            # the count is never cut off.
            classname=f"{self.classname} desk-menu".strip(),
            attrs=self.attrs,
        )


class SubmissionViewSet(SnippetViewSet):
    model = Submission
    icon = "mail"
    menu_label = "Reader letters"
    menu_name = "reader-letters"
    menu_order = 240
    add_to_admin_menu = True
    add_to_reference_index = False
    index_view_class = SubmissionIndexView
    inspect_view_class = SubmissionInspectView
    inspect_view_enabled = True
    index_template_name = "mailbag/inbox/index.html"
    inspect_template_name = "mailbag/inbox/detail.html"
    chooser_viewset_class = InboxChooserViewSet
    list_per_page = 50
    # Only where its draft goes and its topic: the reader's text is never edited.
    panels = ["topic", "column"]

    @cached_property
    def menu_item_class(self):
        return NewCountMenuItem

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(act_url_name=self.get_url_name("act"), **kwargs)

    @property
    def act_view(self):
        return ActView.as_view(inspect_url_name=self.get_url_name("inspect"))

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("act/<int:pk>/", self.act_view, name="act"),
        ]


class NewLettersPanel(Component):
    """The dashboard's newest new letters."""

    name = "new_reader_letters"
    order = 60
    template_name = "mailbag/inbox/panel.html"
    limit = 5

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        letters = Submission.objects.filter(status=SubmissionStatus.NEW).order_by("-submitted_at")[
            : self.limit
        ]
        return {
            "letters": [
                (s, reverse("wagtailsnippets_mailbag_submission:inspect", args=[s.pk]))
                for s in letters
            ],
            "count": new_count(self.request),
            "inbox_url": reverse("wagtailsnippets_mailbag_submission:list"),
        }
