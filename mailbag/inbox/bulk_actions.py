"""The inbox's bulk actions (Wagtail's bulk-action bar on "Reader letters"): shortlist, decline
or move back to new the ticked letters, and Wagtail's bulk delete, each only for users with
the inbox's own permissions. Wagtail's confirmation pages name every ticked letter (pen name
and date), even to a user who may not act on it: anyone else is refused before they render."""

from django.core.exceptions import PermissionDenied
from django.utils.functional import classproperty
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from mailbag import lifecycle
from mailbag.inbox.permissions import can_change, can_view
from mailbag.models import ReaderLetter, ReaderLetterStatus


class LetterBulkAction(SnippetBulkAction):
    """Shortlist, decline or move back to new the ticked letters."""

    template_name = "mailbag/inbox/bulk_confirm.html"
    status = None
    verb = ""

    @classproperty
    def models(cls):
        return [ReaderLetter]

    @classproperty
    def action_type(cls):
        return f"letters-{cls.status}"

    @classproperty
    def display_name(cls):
        return cls.verb

    @classproperty
    def aria_label(cls):
        return f"{cls.verb}: the selected letters"

    def dispatch(self, request, *args, **kwargs):
        if not can_change(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, reader_letter):
        return can_change(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["verb"] = self.verb
        context["no_access_message"] = "You may not change these letters"
        return context

    def get_execution_context(self):
        return {"user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        changed = 0
        for reader_letter in objects:
            if cls.status == ReaderLetterStatus.DECLINED:
                changed += lifecycle.decline(reader_letter, user)
            elif reader_letter.status != ReaderLetterStatus.ANSWERED:
                changed += lifecycle.change(reader_letter, cls.status, user)
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} letter{'s' if num_parent_objects != 1 else ''}: {self.verb.lower()}."


class ShortlistBulkAction(LetterBulkAction):
    status = ReaderLetterStatus.SHORTLISTED
    verb = "Shortlist"
    action_priority = 10


class DeclineBulkAction(LetterBulkAction):
    status = ReaderLetterStatus.DECLINED
    verb = "Decline (no email)"
    action_priority = 20


class BackToNewBulkAction(LetterBulkAction):
    status = ReaderLetterStatus.NEW
    verb = "Back to new"
    action_priority = 30


class InboxDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete of letters, for users who may view the inbox (deleting each letter
    still needs "Can delete reader letter"). Registered after Wagtail's own, which it replaces
    for letters: Wagtail's lists every ticked letter to any admin user."""

    @classproperty
    def models(cls):
        return [ReaderLetter]

    def dispatch(self, request, *args, **kwargs):
        if not can_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


BULK_ACTIONS = [ShortlistBulkAction, DeclineBulkAction, BackToNewBulkAction]
