"""The "Answer review" workflow: approved by the "Answer reviewers" group (not Wagtail's page
Moderators), and never by whoever submitted the letter."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from wagtail.models import GroupPagePermission, TaskState, WorkflowState

from advice.models import IndependentApprovalTask
from advice.tests.test_editor_experience import letter_form

DENIED = "Sorry, you do not have permission to access this area."


@pytest.fixture
def submitted(workflow, make_letter, alice):
    """A letter with a new draft that Alice submitted to the workflow."""
    letter = make_letter("Should I buy the bag twice?")
    letter.title = "Should I buy the same bag twice?"
    letter.save_revision(user=alice)
    state = workflow.start(letter, alice)
    return letter, state.current_task_state


def edit_page(client, letter):
    response = client.get(f"/admin/pages/{letter.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def awaiting_review(client):
    """The dashboard's "Awaiting your review" panel, as text ("" when it is not shown)."""
    panel = BeautifulSoup(client.get("/admin/").content, "html.parser").find(
        id="awaiting-review-section"
    )
    return panel.get_text(" ", strip=True) if panel else ""


def approve_url(letter, task_state):
    return f"/admin/pages/workflow/action/{letter.pk}/approve/{task_state.pk}/"


def test_the_workflow_is_approved_by_answer_reviewers_only(workflow):
    [task] = [task.specific for task in workflow.tasks]
    assert isinstance(task, IndependentApprovalTask)
    assert [group.name for group in task.groups.all()] == ["Answer reviewers"]
    reviewers = Group.objects.get(name="Answer reviewers")
    permissions = {f"{p.content_type.app_label}.{p.codename}" for p in reviewers.permissions.all()}
    assert permissions == {"wagtailadmin.access_admin"}
    assert not GroupPagePermission.objects.filter(group=reviewers).exists()


def test_the_submitter_sees_no_approve_action_and_cannot_approve(
    client, submitted, alice, topic, columnist
):
    letter, task_state = submitted
    client.force_login(alice)
    html = edit_page(client, letter)
    assert 'data-workflow-action-name="approve"' not in html
    assert 'data-workflow-action-name="reject"' not in html
    # Not on her list of pages to review either.
    assert "Should I buy the same bag twice?" not in awaiting_review(client)

    # Posting the action anyway: refused, and nothing moves.
    response = client.post(approve_url(letter, task_state), {"comment": ""})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert DENIED in [str(message).strip() for message in get_messages(response.wsgi_request)]
    response = client.post(
        approve_url(letter, task_state), {"comment": ""}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 403
    # Nor through the edit form's workflow action.
    form = letter_form(topic, columnist, title=letter.title, slug=letter.slug)
    form.update({"action-workflow-action": "1", "workflow-action-name": "approve"})
    assert client.post(f"/admin/pages/{letter.pk}/edit/", form).status_code in (200, 302)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    letter.refresh_from_db()
    assert letter.title == "Should I buy the bag twice?"  # the submitted draft is not live

    # Whoever calls the task directly is refused too.
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, alice, "approve")


def test_another_reviewer_approves_and_the_letter_is_published(client, submitted, bob):
    letter, task_state = submitted
    client.force_login(bob)
    assert 'data-workflow-action-name="approve"' in edit_page(client, letter)
    assert "Should I buy the same bag twice?" in awaiting_review(client)
    response = client.post(approve_url(letter, task_state), {"comment": ""})
    assert response.status_code == 302
    task_state.refresh_from_db()
    assert (task_state.status, task_state.finished_by) == (TaskState.STATUS_APPROVED, bob)
    assert task_state.workflow_state.status == WorkflowState.STATUS_APPROVED
    letter.refresh_from_db()
    assert letter.title == "Should I buy the same bag twice?"


def test_wagtails_page_moderators_no_longer_approve_answers(client, submitted):
    letter, task_state = submitted
    moderator = get_user_model().objects.create_user("pagemod", email="pagemod@example.com")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    assert 'data-workflow-action-name="approve"' not in edit_page(client, letter)
    client.post(approve_url(letter, task_state), {"comment": ""})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
