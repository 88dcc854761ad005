"""Admin glue for reader replies: the moderation desk's menu group, its bulk actions, the
dashboard panel, the audit-log actions, and the reply policy setting. (The desk's permission
policies are registered in CommentsConfig.ready().)"""

from django.templatetags.static import static
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from wagtail import hooks
from wagtail.contrib.settings.registry import SettingMenuItem, register_setting
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from comments.desk.bulk_actions import BULK_ACTIONS, DeskDeleteBulkAction
from comments.desk.panels import HeldRepliesPanel
from comments.desk.viewsets import RepliesGroup
from comments.models import Reply, ReplyPolicy
from comments.permissions import can_moderate
from comments.signals import replies_changed

register_setting(ReplyPolicy, icon="cog")
register_snippet(RepliesGroup)

for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)
# After Wagtail's snippet delete action (order 0), so this one is what the desk's models get.
hooks.register("register_bulk_action", DeskDeleteBulkAction, order=1)


@hooks.register("after_edit_snippet")
def reply_corrected(request, instance):
    """A moderator's correction of a reply's name or text changes what readers see."""
    if isinstance(instance, Reply):
        replies_changed.send(sender=Reply, reply=instance)


@hooks.register("insert_global_admin_css")
def desk_css():
    """The desk's few styles; global, because the sidebar's "Replies" label needs one."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/desk.css"))


@hooks.register("construct_settings_menu")
def move_reply_policy_to_desk(request, menu_items):
    """The reply policy is edited from the Replies group, not from Settings."""
    menu_items[:] = [
        item
        for item in menu_items
        if not (isinstance(item, SettingMenuItem) and item.model is ReplyPolicy)
    ]


@hooks.register("construct_homepage_panels")
def add_held_replies_panel(request, panels):
    if can_moderate(request.user):
        panels.append(HeldRepliesPanel(request))


class ModerationFormatter(LogFormatter):
    def format_message(self, log_entry):
        # Wagtail's history shows a log entry's comment only for models with revisions, so
        # the reason goes into the message: the reply's history and site history show it.
        data = log_entry.data or {}
        reason = data.get("reason")
        message = f"{self.message}: {reason}" if reason else self.message
        return message + (" (no longer an editors’ pick)" if data.get("unpicked") else "")

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("reason", "")


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    for name, label, message in [
        ("reported", "Send reply back after reports", "Sent back to the queue by readers"),
        ("approve", "Approve reply", "Approved"),
        ("reject", "Reject reply", "Rejected"),
        ("spam", "Mark reply as spam", "Marked as spam"),
        ("requeue", "Send reply back to the queue", "Sent back to the moderation queue"),
        ("pick", "Pick reply for Readers weigh in", "Picked for “Readers weigh in”"),
        ("unpick", "Unpick reply", "Taken out of “Readers weigh in”"),
    ]:
        formatter = type(
            f"{name.title()}Formatter", (ModerationFormatter,), {"label": label, "message": message}
        )
        actions.register_action(f"comments.{name}")(formatter)

    @actions.register_action("comments.block")
    class BlockFormatter(LogFormatter):
        label = "Block an address"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            verb = "Refuse" if data.get("block") == "refuse" else "Hold"
            kind = "email" if data.get("kind") == "email" else "IP"
            until = data.get("expires_at")
            return f"{verb} replies from the author’s {kind} address" + (
                f" until {date_format(localtime(parse_datetime(until)), 'DATETIME_FORMAT')}"
                if until
                else " until removed"
            )

    @actions.register_action("comments.dismiss_reports")
    class DismissFormatter(LogFormatter):
        label = "Dismiss reports on a reply"

        def format_message(self, log_entry):
            count = (log_entry.data or {}).get("reports", 0)
            return f"Kept as it is; {count} report{'s' if count != 1 else ''} dismissed"

    @actions.register_action("comments.post")
    class PostFormatter(LogFormatter):
        label = "Reply received"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            verdict = {"approved": "published at once", "spam": "filed as spam"}.get(
                data.get("to"), "held for a moderator"
            )
            reason = data.get("reason")
            return f"Received and {verdict}" + (f": {reason}" if reason else "")

    @actions.register_action("comments.erase")
    class EraseFormatter(LogFormatter):
        label = "Erase a reader’s reply"

        def format_message(self, log_entry):
            deleted = (log_entry.data or {}).get("deleted")
            return "Erased at the author’s request" + (
                "" if deleted else " (kept as a placeholder: others answered it)"
            )
