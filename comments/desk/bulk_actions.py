"""Bulk actions on replies, offered by the listing's checkboxes (Wagtail's bulk-action bar).

"Select all in listing" sends `id=all`: Wagtail would then take every reply in the table, so
here "all" means exactly what the listing showed: its queue, filters and search, read back
from the listing's URL (the `next` parameter)."""

from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils.functional import classproperty
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from comments import lifecycle
from comments.desk import queues
from comments.desk.forms import RejectForm
from comments.models import RejectionReason, Reply
from comments.permissions import can_moderate
from guard.models import BlockedSender


class ReplyBulkAction(SnippetBulkAction):
    template_name = "comments/desk/bulk_confirm.html"
    desk_action = None

    @classproperty
    def models(cls):
        return [Reply]

    @classproperty
    def action_type(cls):
        return cls.desk_action

    @classproperty
    def action(cls):
        """What the action does, as the desk names it (lifecycle.ACTIONS)."""
        return lifecycle.ACTIONS.get(cls.desk_action)

    @classproperty
    def display_name(cls):
        return cls.action.verb if cls.action else ""

    @classproperty
    def aria_label(cls):
        return f"{cls.display_name}: the selected replies"

    def dispatch(self, request, *args, **kwargs):
        """Like the desk's other views, turn non-moderators away (Wagtail would otherwise
        show them the confirmation page, with every reply listed as "no access")."""
        if not can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, reply):
        return self.permission_policy.user_has_permission(self.request.user, "change")

    def get_all_objects_in_listing_query(self, parent_id):
        next_url = get_valid_next_url_from_request(self.request) or ""
        params = QueryDict(urlsplit(next_url).query)
        return queues.listed_replies(params, self.request).values_list("pk", flat=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["desk_action"] = self.action
        context["no_access_message"] = "You may not moderate these replies"
        return context

    def object_context(self, reply):
        context = super().object_context(reply)
        context["excerpt"] = queues.excerpt(reply, 30)
        return context

    def get_execution_context(self):
        return {"user": self.request.user, "reason": self.reason()}

    def reason(self):
        return ""

    @classmethod
    def execute_action(cls, objects, user=None, reason="", **kwargs):
        changed = lifecycle.moderate_many(objects, cls.desk_action, user, reason)
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        past = self.action.past
        unchanged = len(self.actionable_objects) - num_parent_objects
        message = (
            f"{num_parent_objects} {'reply' if num_parent_objects == 1 else 'replies'} {past}."
        )
        if unchanged:
            message += f" {unchanged} already had that status."
        return message


class ApproveBulkAction(ReplyBulkAction):
    desk_action = "approve"
    action_priority = 10
    classes = {"button-primary"}


class RejectBulkAction(ReplyBulkAction):
    desk_action = "reject"
    action_priority = 20
    form_class = RejectForm

    def reason(self):
        return self.cleaned_form.cleaned_data["reason"]


class SpamBulkAction(ReplyBulkAction):
    desk_action = "spam"
    action_priority = 30
    classes = {"serious"}


class RequeueBulkAction(ReplyBulkAction):
    desk_action = "requeue"
    action_priority = 40


class DismissReportsBulkAction(ReplyBulkAction):
    """Keep the selected replies as they are and answer their open reports."""

    desk_action = "dismiss"
    action_priority = 50

    @classproperty
    def action(cls):
        return lifecycle.Action("dismiss", "", "Dismiss reports", "kept as they are")

    @classmethod
    def execute_action(cls, objects, user=None, reason="", **kwargs):
        answered = [lifecycle.dismiss_reports(reply, user) for reply in objects]
        return sum(1 for count in answered if count), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        kept = f"{num_parent_objects} {'reply' if num_parent_objects == 1 else 'replies'}"
        message = f"{kept} kept as they are; their reports dismissed."
        unchanged = len(self.actionable_objects) - num_parent_objects
        if unchanged:
            message += f" {unchanged} had no open reports."
        return message


class PickBulkAction(ReplyBulkAction):
    """Pick the selected approved replies for "Readers weigh in"; others are left as they are."""

    desk_action = "pick"
    action_priority = 60
    picking = True

    @classproperty
    def action(cls):
        return lifecycle.Action(
            "pick", "", "Pick for Readers weigh in", "picked for “Readers weigh in”"
        )

    def get_execution_context(self):
        return {"user": self.request.user, "picking": self.picking}

    @classmethod
    def execute_action(cls, objects, user=None, picking=True, **kwargs):
        return lifecycle.pick_many(objects, user, picking=picking), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        replies = f"{num_parent_objects} {'reply' if num_parent_objects == 1 else 'replies'}"
        message = f"{replies} {self.action.past}."
        unchanged = len(self.actionable_objects) - num_parent_objects
        if unchanged:
            why = "already picked, or not approved" if self.picking else "not picked"
            message += f" {unchanged} left unchanged ({why})."
        return message


class UnpickBulkAction(PickBulkAction):
    desk_action = "unpick"
    action_priority = 70
    picking = False

    @classproperty
    def action(cls):
        return lifecycle.Action("unpick", "", "Unpick", "taken out of “Readers weigh in”")


BULK_ACTIONS = [
    ApproveBulkAction,
    RejectBulkAction,
    SpamBulkAction,
    RequeueBulkAction,
    DismissReportsBulkAction,
    PickBulkAction,
    UnpickBulkAction,
]


class DeskDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete, for moderators only: its confirmation page names every selected
    object, even to a user who may not delete it, and a blocked address's name is the
    address. Registered after Wagtail's own, which it replaces for the desk's models."""

    @classproperty
    def models(cls):
        return [Reply, RejectionReason, BlockedSender]

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
