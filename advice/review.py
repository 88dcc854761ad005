"""The admin's side of the "Answer review" task (advice.models.workflows): an approval from
the editor approves the version the editor showed, a reviewer who changed the letter is
told why they cannot approve it, a reviewer without page permissions lands on the
dashboard after acting, and the dashboard offers Approve only where the task would take
it. Registered as Wagtail hooks in advice.wagtail_hooks."""

import json

from django.shortcuts import redirect
from wagtail.admin import messages
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from advice.models.workflows import (
    EDITED_SINCE_SUBMITTED,
    IndependentApprovalTask,
    edited_since_submitted,
    revision_read,
)

# What Wagtail's page explorer asks of a user (wagtail.admin.views.pages.listing.IndexView).
EXPLORER_PERMISSIONS = {"add", "change", "publish", "bulk_delete", "lock", "unlock"}


def answer_review_task_state(page):
    """The page's task state in progress under our approval task, or None."""
    task_state = page.current_workflow_task_state
    if task_state is None or not isinstance(task_state.task.specific, IndependentApprovalTask):
        return None
    return task_state


def is_workflow_action(request, name=None):
    return bool(
        request.method == "POST"
        and request.POST.get("action-workflow-action")
        and (name is None or request.POST.get("workflow-action-name") == name)
    )


def approve_what_was_read(request, page):
    """before_edit_page: the editor's form carries the revision it showed
    (`loaded_revision_id` and its `loaded_revision_created_at`, Wagtail's own conflict
    check); an approval from the editor passes them to the task, which approves and
    publishes that revision only. Refusals are said here in words, before anything runs."""
    task_state = answer_review_task_state(page)
    if task_state is None:
        return None
    task, user = task_state.task.specific, request.user
    if request.method == "GET":
        if task.user_can_access_editor(page, user) and edited_since_submitted(page, user):
            messages.warning(request, EDITED_SINCE_SUBMITTED)
        return None
    if not is_workflow_action(request, "approve"):
        return None
    revision = request.POST.get("loaded_revision_id") or None
    saved_at = request.POST.get("loaded_revision_created_at") or None
    reason = task.refusal(task_state, user, revision, saved_at)
    if reason == EDITED_SINCE_SUBMITTED:
        # Approve is not offered to them, so the editor saves what they typed instead.
        messages.error(request, reason)
        return None
    if reason:
        messages.error(request, reason)
        return redirect("wagtailadmin_pages:edit", page.pk)
    post = request.POST.copy()
    try:
        extra = json.loads(post.get("workflow-action-extra-data") or "{}")
    except ValueError:
        return None  # Wagtail refuses it as it would
    if isinstance(extra, dict):
        extra.update(revision=revision, revision_saved_at=saved_at)
        post["workflow-action-extra-data"] = json.dumps(extra)
        request.POST = post
    return None


def land_where_they_may_be(request, page):
    """after_edit_page: after a workflow action Wagtail sends the user to the column's page
    listing, which a reviewer without page permissions may not see (and once the review is
    over they may not edit the letter either): they go to the dashboard instead, told
    what happened."""
    if not is_workflow_action(request):
        return None
    user = request.user
    page = Page.objects.get(pk=page.pk).specific
    if page.permissions_for_user(user).can_edit():
        return None
    if PagePermissionPolicy().user_has_any_permission(user, EXPLORER_PERMISSIONS):
        return None
    title = page.get_admin_display_title()
    if request.POST.get("workflow-action-name") == "approve":
        done = f"“{title}” is approved and published." if page.live else f"“{title}” is approved."
    else:
        done = f"“{title}” is back with its writer for changes."
    messages.success(request, done)
    return redirect("wagtailadmin_home")


class AwaitingReviewPanel(WorkflowObjectsToModeratePanel):
    """Wagtail's "Awaiting your review" panel, without Approve on a letter changed since it
    was submitted: the panel's Preview and Compare show the submitted version, and the task
    approves from here only that one. The reviewer opens the editor, reads the current
    version and approves it there."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        for state in context["states"]:
            task_state = state["task_state"]
            task = task_state.task.specific
            if isinstance(task, IndependentApprovalTask) and revision_read(task_state) is None:
                state["actions"] = [action for action in state["actions"] if action[0] != "approve"]
        return context


def offer_only_approvals_the_task_takes(request, panels):
    """construct_homepage_panels: our panel in place of Wagtail's."""
    panels[:] = [
        AwaitingReviewPanel() if type(panel) is WorkflowObjectsToModeratePanel else panel
        for panel in panels
    ]
