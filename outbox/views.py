"""The admin's "Failed emails" report (Reports menu): each email given up after every
attempt, with "Send again". For users with the "send failed emails again" permission."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from outbox import failed


def subjects(result):
    return "; ".join(sorted({data["subject"] for data in failed.messages_of(result)}))


def recipients(result):
    """How many addresses, not which: readers' addresses are for the people allowed them."""
    return sum(
        len(data["to"]) + len(data["cc"]) + len(data["bcc"]) for data in failed.messages_of(result)
    )


def error(result):
    """The traceback's last line: "NotDelivered: 1 of 1 email(s) not sent after 5 attempts"
    (the mail server's own answer, which may name addresses, is in the log)."""
    lines = result.traceback.strip().splitlines()
    return lines[-1] if lines else result.exception_class_path.rpartition(".")[2]


class SendAgainColumn(Column):
    cell_template_name = "outbox/send_again_cell.html"


class FailedEmailsView(ReportView):
    page_title = "Failed emails"
    header_icon = "mail"
    index_url_name = "outbox_failed_emails"
    index_results_url_name = "outbox_failed_emails_results"
    columns = [
        DateColumn("finished_at", label="Given up"),
        Column("subjects", label="Subject", accessor=subjects),
        Column("recipients", label="Recipients", accessor=recipients),
        Column("error", label="Error", accessor=error),
        SendAgainColumn("send_again", label="", accessor="pk"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(failed.PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return failed.failed_emails()


@require_POST
def send_again(request, pk):
    if not request.user.has_perm(failed.PERMISSION):
        raise PermissionDenied
    queued = failed.send_again(pk, request.user)
    if queued is None:
        messages.warning(request, "That email was sent again already.")
    else:
        names = "; ".join(f"“{subject}”" for subject in queued)
        messages.success(request, f"Queued to be sent again: {names}.")
    return redirect("outbox_failed_emails")
