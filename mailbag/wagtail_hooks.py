"""Admin glue for reader letters: the audit-log actions (the inbox comes with item 2)."""

from wagtail import hooks
from wagtail.log_actions import LogFormatter

LOG_ACTIONS = [
    ("received", "Reader letter received", "Received from the write-in form"),
    ("new", "Back to new", "Moved back to new"),
    ("shortlist", "Shortlist a reader letter", "Shortlisted"),
    ("answered", "Reader letter answered", "Answered: its letter was published"),
    ("decline", "Decline a reader letter", "Declined"),
    ("decline_emailed", "Email a declined writer", "The writer was sent the kind email"),
    ("writer_told", "Tell the writer", "The writer was emailed the answer's link"),
    ("draft", "Create a draft letter", "Draft letter created"),
    ("email_erased", "Erase a writer's address", "The writer's address was erased"),
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
