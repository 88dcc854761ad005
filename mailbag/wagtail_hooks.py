"""Admin glue for reader letters: the inbox (its menu item, bulk actions, dashboard panel, its
old addresses), the emails' setting, a link from a draft letter back to its reader letter, and the
audit-log actions."""

from django.urls import re_path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.contrib.settings.registry import register_setting
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from mailbag.inbox.bulk_actions import BULK_ACTIONS, InboxDeleteBulkAction
from mailbag.inbox.panels import NewLettersPanel
from mailbag.inbox.permissions import can_view
from mailbag.inbox.views import old_address
from mailbag.inbox.viewsets import ReaderLetterViewSet
from mailbag.models import MailbagSettings, ReaderLetter

register_snippet(ReaderLetterViewSet)
register_setting(MailbagSettings, icon="mail")

for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)
hooks.register("register_bulk_action", InboxDeleteBulkAction, order=1)


@hooks.register("register_admin_urls")
def old_inbox_urls():
    return [re_path(r"^snippets/mailbag/submission/(?P<rest>.*)$", old_address)]


@hooks.register("construct_homepage_panels")
def add_new_letters_panel(request, panels):
    if can_view(request.user):
        panels.append(NewLettersPanel(request))


@hooks.register("register_page_header_buttons")
def reader_letter_button(page, user, view_name, next_url=None):
    """On a letter made from a reader letter: a link back to it in the inbox."""
    if not can_view(user):
        return
    reader_letter = ReaderLetter.objects.filter(draft_id=page.pk).only("pk").first()
    if reader_letter is not None:
        yield Button(
            "Reader letter",
            url=reverse("wagtailsnippets_mailbag_readerletter:inspect", args=[reader_letter.pk]),
            icon_name="mail",
            priority=80,
        )


LOG_ACTIONS = [
    ("received", "Reader letter received", "Received from the write-in form"),
    ("new", "Back to new", "Moved back to new"),
    ("shortlist", "Shortlist a reader letter", "Shortlisted"),
    ("answered", "Reader letter answered", "Answered: its letter was published"),
    ("decline", "Decline a reader letter", "Declined"),
    ("decline_emailed", "Email a declined writer", "The writer was sent the kind email"),
    ("writer_told", "Tell the writer", "The writer was emailed the answer’s link"),
    ("draft", "Create a draft letter", "Draft letter created"),
    ("email_erased", "Erase a writer’s address", "The writer’s address was erased"),
    ("deleted", "Delete a reader letter", "Deleted"),
]


class MailbagFormatter(LogFormatter):
    def format_message(self, log_entry):
        data = log_entry.data or {}
        # Never the address: only the reason and the draft's title are shown.
        extra = data.get("title") or data.get("reason")
        return f"{self.message}: {extra}" if extra else self.message


@hooks.register("register_log_actions")
def register_mailbag_log_actions(actions):
    for name, label, message in LOG_ACTIONS:
        formatter = type(
            f"Mailbag{name.title()}Formatter",
            (MailbagFormatter,),
            {"label": label, "message": message},
        )
        actions.register_action(f"mailbag.{name}")(formatter)
