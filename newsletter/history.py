"""The newsletter's entries in Wagtail's audit log (the page's history, a snippet's history and
the site history report), registered from newsletter.wagtail_hooks:

- a test copy of a letter's email sent, on the letter's history, with the editor;
- a letter's issue queued to its subscribers (once its deliveries are written), on the
  letter's history, with who published it;
- a weekly round-up queued to its subscribers, on the issue's history;
- an address looked up in the suppression list, with who looked it up and never the address
  (logged on that user's account: the lookup is about no stored row).

Entries never hold an address: the audit log outlives an erasure request."""

from wagtail.log_actions import LogFormatter, log

from newsletter.models import Issue

TEST_SENT = "newsletter.test_sent"
QUEUED = "newsletter.queued"
ROUNDUP_SENT = "newsletter.roundup_sent"
SUPPRESSION_LOOKUP = "newsletter.suppression_lookup"


def test_copy_sent(letter, user):
    log(instance=letter, action=TEST_SENT, user=user)


def issue_queued(issue, subscribers):
    """After fan_out: "queued to N subscribers" on the letter (or the round-up's issue)."""
    data = {"subscribers": subscribers}
    if issue.kind == Issue.Kind.WEEKLY:
        log(instance=issue, action=ROUNDUP_SENT, data=data)
        return
    letter = issue.letter
    if letter is None:
        return
    revision = letter.live_revision
    log(
        instance=letter,
        action=QUEUED,
        user=revision.user if revision is not None else None,
        data=data,
    )


def suppression_looked_up(user):
    log(instance=user, action=SUPPRESSION_LOOKUP, user=user, title="Suppressed addresses")


def subscribers(count):
    return f"{count} subscriber{'' if count == 1 else 's'}"


class QueuedFormatter(LogFormatter):
    label = "Newsletter queued"

    def format_message(self, log_entry):
        count = (log_entry.data or {}).get("subscribers", 0)
        return f"Newsletter queued to {subscribers(count)}"


class RoundupFormatter(LogFormatter):
    label = "Weekly round-up sent"

    def format_message(self, log_entry):
        count = (log_entry.data or {}).get("subscribers", 0)
        return f"Weekly round-up queued to {subscribers(count)}"


class TestSentFormatter(LogFormatter):
    label = "Newsletter test sent"
    message = "Test copy of the newsletter email sent to the editor’s own address"


class LookupFormatter(LogFormatter):
    label = "Suppression list looked up"
    message = "Looked up an address in the suppression list (the address is not kept)"


def register(actions):
    for action, formatter in [
        (TEST_SENT, TestSentFormatter),
        (QUEUED, QueuedFormatter),
        (ROUNDUP_SENT, RoundupFormatter),
        (SUPPRESSION_LOOKUP, LookupFormatter),
    ]:
        actions.register_action(action)(formatter)
