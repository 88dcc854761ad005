"""What a workflow does once approved (WAGTAIL_FINISH_WORKFLOW_ACTION). A module of its own:
Wagtail imports it while wagtail.models is still loading, so it imports no models."""


def publish_approved(workflow_state, user=None):
    """Publish what the workflow approved. The approval is the authority: Wagtail's default
    publishes as the last approver and so demands that they hold page publish permission,
    which would let every reviewer publish their own letters directly, with no second reader
    at all. Our approval task records the revision its approver read on the task state, and
    that revision is published, never a later one; other tasks publish the latest, as
    Wagtail does."""
    task_state = workflow_state.current_task_state
    if task_state is not None and getattr(
        task_state.task.specific, "publishes_approved_revision", False
    ):
        revision = task_state.revision
    else:
        revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
