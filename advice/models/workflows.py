"""The workflow task of the "Answer review" workflow: a group's approval, never the
submitter's own (what an approved workflow does is in advice.workflows)."""

from django.core.exceptions import PermissionDenied
from wagtail.models import GroupApprovalTask


def submitted_by(obj, user):
    """Whether `user` started the workflow `obj` is in (the submission under review)."""
    state = getattr(obj, "current_workflow_state", None)
    return bool(state is not None and user.pk and state.requested_by_id == user.pk)


class IndependentApprovalTask(GroupApprovalTask):
    """Wagtail's group approval, except that nobody reviews their own submission: a reviewer
    who submitted the page is, for that submission, like anyone outside the group (no
    approve or reject action, the page locked to them, not on their list to review), and a
    POST of the action by them is refused. A second reader must be someone else."""

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
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        # Wagtail's views offer only get_actions(); this holds for any other caller too.
        requested_by = task_state.workflow_state.requested_by_id
        if user is not None and requested_by is not None and requested_by == user.pk:
            raise PermissionDenied("Nobody may review their own submission.")
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user) if user.pk else states
