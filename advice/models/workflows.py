"""The "Answer review" workflow: its task (a group's approval, never by the submitter nor by
anyone who changed the letter since it was submitted, and only of the version the approver
read) and the one permission tester that keeps letters under it from being published any
other way. What an approved workflow does is in advice.workflows."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.functional import cached_property
from wagtail.models import GroupApprovalTask, PagePermissionTester, Revision

EDITED_SINCE_SUBMITTED = (
    "You changed this letter after it was submitted, so you cannot approve it: another "
    "reviewer must read your changes and approve them."
)
NEWER_THAN_READ = (
    "This letter was not approved: it was changed after the version you read. Read the "
    "current version, then approve it."
)


class ApprovalRefused(PermissionDenied):
    """An approval the task refuses, with the reason in words for the reviewer."""


def submitted_by(obj, user):
    """Whether `user` started the workflow `obj` is in (the submission under review)."""
    state = getattr(obj, "current_workflow_state", None)
    return bool(state is not None and user.pk and state.requested_by_id == user.pk)


def edited_since_submitted(obj, user, workflow_state=None):
    """Whether `user` saved a revision of `obj` since it was submitted to the workflow.
    Autosaves count: they are revisions of their own, and an autosave that overwrites one
    moves its `created_at` to the time of writing."""
    state = workflow_state or getattr(obj, "current_workflow_state", None)
    if state is None or not user.pk:
        return False
    return (
        Revision.objects.for_instance(obj)
        .filter(user_id=user.pk, created_at__gte=state.created_at)
        .exists()
    )


def revision_read(task_state, revision=None, revision_saved_at=None):
    """The latest revision if it is the one the approver read, else None (a newer one was
    saved since). What they read is `revision` and the time it was saved
    (`revision_saved_at`, ISO 8601) as the editor showed them, or, when none is given, the
    revision submitted to the task (what the dashboard previews and compares)."""
    latest = (
        Revision.objects.for_instance(task_state.workflow_state.content_object)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None:
        return None
    if revision is None:
        read = latest.pk == task_state.revision_id and latest.created_at <= task_state.started_at
    else:
        read = str(latest.pk) == str(revision) and (
            latest.created_at.isoformat() == (revision_saved_at or "")
        )
    return latest if read else None


class IndependentApprovalTask(GroupApprovalTask):
    """Wagtail's group approval, except that nobody reviews their own submission or their
    own changes. A reviewer who submitted the page is, for that submission, like anyone
    outside the group (no approve or reject action, the page locked to them, not on their
    list to review); a reviewer who saved a revision since the submission may request
    changes but not approve. Approving publishes the version the approver read, and is
    refused when a newer one exists. A POST of a refused action is refused here too."""

    # What advice.workflows.publish_approved reads: the approved task state's revision is
    # the one to publish (Wagtail's own tasks leave the submitted revision there).
    publishes_approved_revision = True

    class Meta:
        verbose_name = "group approval, never by the submitter"
        verbose_name_plural = "group approvals, never by the submitter"

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups approve, except whoever submitted the page"

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and not submitted_by(obj, user)

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) or submitted_by(obj, user)

    def user_can_lock(self, obj, user):
        return super().user_can_lock(obj, user) and not submitted_by(obj, user)

    def get_actions(self, obj, user):
        if submitted_by(obj, user):
            return []
        actions = super().get_actions(obj, user)
        if actions and edited_since_submitted(obj, user):
            return [action for action in actions if action[0] != "approve"]
        return actions

    def refusal(self, task_state, user, revision=None, revision_saved_at=None):
        """Why `user` may not approve `task_state` now (None when they may)."""
        obj = task_state.workflow_state.content_object
        if edited_since_submitted(obj, user, task_state.workflow_state):
            return EDITED_SINCE_SUBMITTED
        if revision_read(task_state, revision, revision_saved_at) is None:
            return NEWER_THAN_READ
        return None

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        # Wagtail's views offer only get_actions(); this holds for any other caller too.
        requested_by = task_state.workflow_state.requested_by_id
        if user is not None and requested_by is not None and requested_by == user.pk:
            raise PermissionDenied("Nobody may review their own submission.")
        revision = kwargs.pop("revision", None)
        revision_saved_at = kwargs.pop("revision_saved_at", None)
        if action_name == "approve":
            if reason := self.refusal(task_state, user, revision, revision_saved_at):
                raise ApprovalRefused(reason)
            # The task state records the version approved; that is the one published.
            read = revision_read(task_state, revision, revision_saved_at)
            if read.pk != task_state.revision_id:
                task_state.revision = read
                task_state.save(update_fields=["revision"])
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user) if user.pk else states


def reviewed_by_answer_review(page):
    """Whether the workflow that governs `page` (its own or its nearest ancestor's) has our
    approval task: then the workflow, and nothing else, publishes what is beneath it."""
    workflow = page.get_workflow()
    return bool(
        workflow is not None
        and IndependentApprovalTask.objects.filter(
            workflow_tasks__workflow=workflow, active=True
        ).exists()
    )


class ReviewedPagePermissionTester(PagePermissionTester):
    """The one place that says who publishes a letter under "Answer review": nobody directly,
    superusers included (the edit view, revisions' revert, bulk publish, copies, creating a
    letter there). The workflow publishes what it approved (advice.workflows). Unpublishing
    stays with page moderators, for takedowns."""

    @cached_property
    def reviewed(self):
        return reviewed_by_answer_review(self.page)

    def can_publish(self):
        if not super().can_publish():
            return False
        return not (getattr(self.page, "published_by_review", False) and self.reviewed)

    def can_publish_subpage(self):
        if not super().can_publish_subpage():
            return False
        return not (getattr(self.page, "subpages_published_by_review", False) and self.reviewed)

    # Wagtail derives these from can_publish; they publish nothing new, so they stay with
    # whoever holds publish permission: cancelling a scheduled publication is a takedown,
    # and privacy only hides or shows the version the review published.
    def can_unschedule(self):
        return super().can_publish()

    def can_set_view_restrictions(self):
        return super().can_publish()


class PublishedByReviewMixin:
    """For page types whose publishing ReviewedPagePermissionTester decides. Set
    `published_by_review` (the page itself) or `subpages_published_by_review` (pages made
    beneath it, which take its workflow)."""

    published_by_review = False
    subpages_published_by_review = False

    def permissions_for_user(self, user):
        return ReviewedPagePermissionTester(user, self)
