"""The "Failed emails" report in the admin's Reports menu (outbox.views)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from outbox import failed, views


@hooks.register("register_admin_urls")
def failed_email_urls():
    return [
        path(
            "reports/failed-emails/", views.FailedEmailsView.as_view(), name="outbox_failed_emails"
        ),
        path(
            "reports/failed-emails/results/",
            views.FailedEmailsView.as_view(results_only=True),
            name="outbox_failed_emails_results",
        ),
        path(
            "reports/failed-emails/<uuid:pk>/send-again/",
            views.send_again,
            name="outbox_send_again",
        ),
    ]


class FailedEmailsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(failed.PERMISSION)


@hooks.register("register_reports_menu_item")
def failed_emails_menu_item():
    return FailedEmailsMenuItem(
        "Failed emails", reverse("outbox_failed_emails"), icon_name="mail", order=900
    )
