"""The desk's admin views: the queues (a snippet listing), a reply's detail page with its
context, the one-reply actions, blocking an address from a reply, and erasing a reader."""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin import messages
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views import snippets as snippet_views

from comments import export, lifecycle
from comments.desk import actions, queues
from comments.desk.forms import BlockForm, EraseForm, RejectForm
from comments.models import Reply, ReplyReport, ReplyStatus
from comments.permissions import can_moderate
from guard.models import BlockedSender
from guard.permissions import can_see_addresses


class DeskColumn(Column):
    """A column drawn by one of our cell templates (comments/desk/cells/<name>.html)."""

    def __init__(self, name, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = f"comments/desk/cells/{name}.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        # Cell templates render with a plain dict: the action forms need the token passed on.
        request = parent_context.get("request")
        if request is not None:
            context.update(self.shared_context(request))
        return context

    @staticmethod
    def shared_context(request):
        """What every cell of a listing shares, worked out once per request (a page of 50
        replies has 200 of our cells; a CSRF token costs a random mask each time)."""
        if not hasattr(request, "_desk_cells"):
            # Where a row's action returns to: this listing, with its queue, filters and
            # search (AJAX refreshes come through .../results/ with the same query string).
            query = request.GET.urlencode()
            request._desk_cells = {
                "csrf_token": get_token(request),
                "see_addresses": can_see_addresses(request.user),
                "listing_url": reverse("wagtailsnippets_comments_reply:list")
                + (f"?{query}" if query else ""),
            }
        return request._desk_cells


class ReplyIndexView(snippet_views.IndexView):
    """The queues: awaiting moderation (the default), reported, approved, rejected, spam."""

    template_name = "comments/desk/index.html"
    filterset_class = queues.ReplyFilterSet
    search_fields = queues.SEARCH_FIELDS
    search_backend_name = None
    default_ordering = "-submit_date"
    paginate_by = 50

    def get_base_queryset(self):
        return queues.with_open_report_counts(
            Reply.objects.select_related("content_type").prefetch_related("content_object")
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queues.search(
            queryset, self.search_query, by_address=can_see_addresses(self.request.user)
        )

    def get_valid_orderings(self):
        return ["submit_date", "-submit_date", "link_count", "-link_count"]

    @cached_property
    def queue(self):
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data.get("queue") or queues.DEFAULT_QUEUE
        return queues.DEFAULT_QUEUE

    def filter_queryset(self, queryset):
        if self.filters and self.filters.is_valid():
            return super().filter_queryset(queryset)
        # A filter Wagtail cannot read (say, a mistyped date) is shown with its error; the
        # list stays the default queue rather than every reply.
        return queues.in_queue(queryset, queues.DEFAULT_QUEUE)

    def get_inspect_url(self, instance):
        return reverse(self.inspect_url_name, args=(quote(instance.pk),))

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)(
            "excerpt",
            label="Reply",
            accessor=queues.excerpt,
            get_url=self.get_inspect_url,
            get_title_id=lambda reply: f"snippet_{quote(reply.pk)}_title",
        )
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet"),
            title_column,
            DeskColumn("author", label="Author"),
            DeskColumn("letter", label="Letter"),
            DateColumn("submit_date", label="Posted", sort_key="submit_date"),
            Column("link_count", label="Links", sort_key="link_count"),
            Column("open_report_count", label="Reports"),
            DeskColumn("status", label="Status"),
            DeskColumn("actions", label="Actions"),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["queue"] = self.queue
        counts = queues.queue_counts(self.request)
        context["queue_tabs"] = [(key, label, counts[key]) for key, label in queues.QUEUES.items()]
        return context


class ReplyDetailView(snippet_views.InspectView):
    """Everything needed to decide about one reply on one page."""

    template_name = "comments/desk/detail.html"
    moderate_url_name = None
    block_url_name = None
    history_url_name = None
    blocked_index_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(
            Reply.objects.select_related("content_type", "picked_by"), pk=self.pk
        )

    def get_page_title(self):
        return f"Reply by {self.object.user_name}"

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reply = self.object
        letter = reply.content_object
        parent = None
        if reply.parent_id != reply.pk:
            parent = Reply.objects.filter(pk=reply.parent_id).first()
        earlier = Reply.objects.none()
        outcomes = {}
        if reply.user_email:
            same_author = Reply.objects.filter(user_email__iexact=reply.user_email).exclude(
                pk=reply.pk
            )
            earlier = same_author.prefetch_related("content_object").order_by("-submit_date")[:20]
            outcomes = dict(same_author.values_list("status").annotate(n=Count("pk")).order_by())
        blocks = BlockedSender.objects.active().filter(
            kind=BlockedSender.EMAIL, value=BlockedSender.normalise("email", reply.user_email)
        ) | BlockedSender.objects.active().filter(
            kind=BlockedSender.IP, value=reply.ip_address or ""
        )
        parent_hidden = parent is not None and not parent.is_published
        context.update(
            reply=reply,
            see_addresses=can_see_addresses(self.request.user),
            letter=letter,
            letter_url=letter.get_url(self.request) if letter else None,
            letter_edit_url=reverse("wagtailadmin_pages:edit", args=[letter.pk])
            if letter
            else None,
            parent=parent,
            parent_hidden=parent_hidden,
            earlier=earlier,
            outcomes=[(label, outcomes.get(value, 0)) for value, label in ReplyStatus.choices],
            reports=ReplyReport.objects.filter(reply=reply),
            open_reports=ReplyReport.objects.filter(reply=reply, resolved_at__isnull=True).count(),
            blocks=list(blocks),
            reject_form=RejectForm(),
            block_forms=self.block_forms(reply),
            actions=lifecycle.ACTIONS,
            moderate_url=reverse(self.moderate_url_name, args=[reply.pk]),
            block_url=reverse(self.block_url_name, args=[reply.pk]),
            history_url=reverse(self.history_url_name, args=[reply.pk]),
            blocked_index_url=reverse(self.blocked_index_url_name),
            next_url=get_valid_next_url_from_request(self.request),
        )
        return context

    def block_forms(self, reply):
        forms = []
        if reply.user_email:
            form = BlockForm(initial={"kind": "email"})
            if can_see_addresses(self.request.user):
                forms.append(("email", reply.user_email, form))
            else:
                forms.append(("author’s email address", "", form))
        if reply.ip_address:
            forms.append(("IP address", reply.ip_address, BlockForm(initial={"kind": "ip"})))
        return forms

    @cached_property
    def header_more_buttons(self):
        return [
            HeaderButton(
                "History",
                url=reverse(self.history_url_name, args=[self.object.pk]),
                icon_name="history",
            )
        ]


class ModeratorOnlyMixin:
    """Custom desk views check the same permission as the snippet views."""

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ModerateView(ModeratorOnlyMixin, WagtailAdminTemplateMixin, View):
    """POST: apply one action to one reply, then go back (or on to the next held reply).
    GET: the page for rejecting one reply with a reason (the listing's "Reject…" link)."""

    template_name = "comments/desk/reject.html"
    header_icon = "comment"
    index_url_name = None
    inspect_url_name = None

    def get_page_title(self):
        return "Reject a reply"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse(self.index_url_name), "label": "Replies"},
            {"url": "", "label": self.get_page_title()},
        ]

    def reject_page(self, reply, form, status=200):
        context = self.get_context_data(
            reply=reply,
            form=form,
            excerpt=queues.excerpt(reply, 80),
            next_url=get_valid_next_url_from_request(self.request),
            inspect_url=reverse(self.inspect_url_name, args=[reply.pk]),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.reject_page(get_object_or_404(Reply, pk=pk), RejectForm())

    def post(self, request, pk):
        reply = get_object_or_404(Reply, pk=pk)
        name = request.POST.get("action")
        if name == "dismiss":
            answered = lifecycle.dismiss_reports(reply, request.user)
            if answered:
                messages.success(
                    request,
                    f"{reply} kept as it is; {answered} report{'s' if answered != 1 else ''} "
                    "dismissed.",
                )
            else:
                messages.warning(request, f"{reply} had no open reports.")
            return HttpResponseRedirect(
                get_valid_next_url_from_request(request) or reverse(self.index_url_name)
            )
        if name in ("pick", "unpick"):
            actions.pick(request, reply, name)
            return HttpResponseRedirect(
                get_valid_next_url_from_request(request)
                or reverse(self.inspect_url_name, args=[pk])
            )
        if name not in lifecycle.ACTIONS:
            messages.error(request, "Unknown action.")
            return HttpResponseRedirect(reverse(self.inspect_url_name, args=[pk]))
        reason = ""
        if name == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                return self.reject_page(reply, form, status=400)
            reason = form.cleaned_data["reason"]
        action = lifecycle.ACTIONS[name]
        if lifecycle.moderate(reply, name, request.user, reason):
            messages.success(request, f"{reply} {action.past}.")
        else:
            messages.warning(request, f"{reply} was already {reply.get_status_display().lower()}.")
        if request.POST.get("then") == "next":
            following = (
                Reply.objects.filter(status=ReplyStatus.PENDING)
                .order_by("submit_date", "pk")
                .first()
            )
            if following is not None:
                return HttpResponseRedirect(reverse(self.inspect_url_name, args=[following.pk]))
        return HttpResponseRedirect(
            get_valid_next_url_from_request(request) or reverse(self.index_url_name)
        )


class BlockView(ModeratorOnlyMixin, View):
    """POST from a reply's page: hold or refuse its email address or IP address."""

    inspect_url_name = None

    def post(self, request, pk):
        reply = get_object_or_404(Reply, pk=pk)
        form = BlockForm(request.POST)
        url = reverse(self.inspect_url_name, args=[pk])
        if not form.is_valid():
            messages.error(request, "Choose what to do and for how long.")
            return HttpResponseRedirect(url)
        kind = form.cleaned_data["kind"]
        value = reply.user_email if kind == BlockedSender.EMAIL else reply.ip_address
        if not value:
            messages.error(request, "This reply has no such address.")
            return HttpResponseRedirect(url)
        entry = actions.block(
            kind,
            value,
            form.cleaned_data["action"],
            request.user,
            expires_at=form.expires_at(),
            reason=form.cleaned_data["reason"] or f"From reply #{reply.pk}",
            reply=reply,
        )
        until = f"until {entry.expires_at:%-d %b %Y %H:%M}" if entry.expires_at else "until removed"
        label = str(entry)
        if kind == BlockedSender.EMAIL and not can_see_addresses(request.user):
            label = f"{entry.get_action_display().split(':')[0]}: the author’s email address"
        messages.success(request, f"{label} ({until}).")
        return HttpResponseRedirect(url)


class EraseView(ModeratorOnlyMixin, WagtailAdminTemplateMixin, View):
    """A privacy request: find everything one email address wrote, show it, erase it. Looking
    an address up tells whether it wrote in: only moderators who may see readers' addresses
    use it. What other apps erase for the address follows their own permissions (a receiver
    of comments.signals.reader_erasure_requested is given the user)."""

    def dispatch(self, request, *args, **kwargs):
        if not can_see_addresses(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    template_name = "comments/desk/erase.html"
    page_title = "Erase a reader’s replies"
    header_icon = "bin"
    index_url_name = None

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse(self.index_url_name), "label": "Replies"},
            {"url": "", "label": self.page_title},
        ]

    def render(self, form, plan=None, erased=None, status=200):
        context = self.get_context_data(form=form, plan=plan, erased=erased)
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render(EraseForm())

    def post(self, request):
        """Two steps, both POST (the address stays out of URLs and server logs): "find"
        lists what the address wrote; "erase" with the box ticked erases it."""
        form = EraseForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        if request.POST.get("step") == "export":
            return export.export_response(form.cleaned_data["email"], request.user)
        plan = lifecycle.erasure_plan(form.cleaned_data["email"])
        if request.POST.get("step") != "erase":
            return self.render(form, plan)
        if not form.cleaned_data["confirm"]:
            form.add_error("confirm", "Tick the box to confirm the erasure.")
            return self.render(form, plan, status=400)
        plan = lifecycle.erase(form.cleaned_data["email"], request.user)
        messages.success(
            request,
            f"Erased {len(plan['delete'])} replies and blanked {len(plan['blank'])} that "
            "others had answered." + "".join(f" Also: {said}." for said in plan["elsewhere"]),
        )
        return self.render(EraseForm(), erased=plan)
