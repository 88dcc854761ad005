"""The "Answer review" task approves only what its approver read: never their own changes
(autosaves included), never a version newer than the one shown, and the version approved
is the one published. A reviewer without page permissions lands on the dashboard."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import streamfield

from advice.models import LetterPage
from advice.models.workflows import EDITED_SINCE_SUBMITTED, NEWER_THAN_READ
from advice.tests.test_answer_review import DENIED, approve_url
from advice.tests.test_editor_experience import letter_form
from advice.workflows import publish_approved

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack


@pytest.fixture
def submitted(client, workflow, alice, column, topic, columnist):
    """A new letter Alice wrote in the page editor and submitted to "Answer review" (made
    through the admin, so its rich text and blocks round-trip as a browser posts them)."""
    client.force_login(alice)
    add_url = reverse("wagtailadmin_pages:add", args=("advice", "letterpage", column.pk))
    client.post(add_url, {**letter_form(topic, columnist), "action-submit": "1"})
    client.logout()
    letter = LetterPage.objects.get()
    assert letter.current_workflow_state is not None
    return letter, letter.current_workflow_task_state


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def open_in_editor(client, letter):
    """GET the editor; returns what its form carries back: the revision it showed."""
    response = client.get(f"/admin/pages/{letter.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    shown = {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("loaded_revision_id", "loaded_revision_created_at")
    }
    return html, shown


def untouched_form(letter, topic, columnist):
    """The edit form as the browser posts it back when nobody typed: rich text with its
    block keys, answer blocks with their ids (Wagtail saves no revision for it)."""
    page = LetterPage.objects.get(pk=letter.pk).get_latest_revision_as_object()
    form = LetterPage.get_edit_handler().get_form_class()(
        instance=page, parent_page=page.get_parent()
    )
    child_blocks = form.fields["answer"].block.child_blocks

    def value(block):
        if block.block_type == "paragraph":
            return child_blocks["paragraph"].field.widget.format_value(block.value.source)
        return dict(block.value)

    data = letter_form(
        topic,
        columnist,
        title=page.title,
        slug=page.slug,
        letter=form.fields["letter"].widget.format_value(page.letter),
        answer=streamfield([(block.block_type, value(block)) for block in page.answer]),
    )
    data.update({f"answer-{i}-id": block.id for i, block in enumerate(page.answer)})
    return data


def approve_in_editor(client, letter, form, shown):
    form = {**form, **shown, "action-workflow-action": "1", "workflow-action-name": "approve"}
    return client.post(f"/admin/pages/{letter.pk}/edit/", form)


def edit_as(user, letter, title):
    """A revision saved by `user` (what the editor's save and autosave store)."""
    page = LetterPage.objects.get(pk=letter.pk).get_latest_revision_as_object()
    page.title = title
    return page.save_revision(user=user)


def is_live(letter):
    letter.refresh_from_db()
    return letter.live


def test_a_reviewer_who_edited_the_letter_cannot_approve_it(
    client, submitted, bob, topic, columnist
):
    letter, task_state = submitted
    edit_as(bob, letter, "Can I ask for a new colour, bob’s way?")
    client.force_login(bob)
    html, shown = open_in_editor(client, letter)
    assert 'data-workflow-action-name="approve"' not in html
    assert 'data-workflow-action-name="reject"' in html  # requesting changes stays open
    assert EDITED_SINCE_SUBMITTED.split(",")[0] in html

    # From the dashboard's action, and from the editor: refused, nothing published.
    response = client.post(approve_url(letter, task_state), {"comment": ""})
    assert response.status_code == 302
    response = approve_in_editor(client, letter, untouched_form(letter, topic, columnist), shown)
    assert EDITED_SINCE_SUBMITTED in messages_of(response)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not is_live(letter)


def test_an_autosave_counts_as_an_edit(client, submitted, bob, topic, columnist):
    letter, task_state = submitted
    client.force_login(bob)
    _, shown = open_in_editor(client, letter)
    form = untouched_form(letter, topic, columnist)
    autosave = client.post(
        f"/admin/pages/{letter.pk}/edit/",
        {**form, **shown, "sign_off": "Bob’s own sign-off."},
        HTTP_ACCEPT="application/json",
    )
    assert autosave.json()["success"] is True
    client.post(approve_url(letter, task_state), {"comment": ""})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not is_live(letter)


def test_another_reviewer_approves_and_the_version_shown_is_published(
    client, submitted, bob, carol, topic, columnist
):
    """Carol changed the letter; Bob read her version in the editor and approved it."""
    letter, task_state = submitted
    carols = edit_as(carol, letter, "Can I still change the colour after ordering?")
    client.force_login(bob)
    html, shown = open_in_editor(client, letter)
    assert shown["loaded_revision_id"] == str(carols.pk)
    assert 'data-workflow-action-name="approve"' in html
    response = approve_in_editor(client, letter, untouched_form(letter, topic, columnist), shown)
    assert response.status_code == 302
    task_state.refresh_from_db()
    assert (task_state.status, task_state.finished_by, task_state.revision_id) == (
        TaskState.STATUS_APPROVED,
        bob,
        carols.pk,
    )
    assert is_live(letter)
    assert (letter.live_revision_id, letter.title) == (carols.pk, carols.object_str)


def test_a_version_saved_after_the_one_shown_is_not_approved(
    client, submitted, bob, carol, topic, columnist
):
    letter, task_state = submitted
    client.force_login(bob)
    _, shown = open_in_editor(client, letter)
    form = untouched_form(letter, topic, columnist)
    edit_as(carol, letter, "Carol’s later question, unread by Bob?")
    response = approve_in_editor(client, letter, form, shown)
    assert response.status_code == 302
    assert NEWER_THAN_READ in messages_of(response)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not is_live(letter)


def test_the_dashboards_approval_is_of_the_submitted_version_only(client, submitted, bob, carol):
    """The dashboard previews and compares the submitted revision: approving from there
    after someone changed the letter is refused; untouched, that revision is published."""
    letter, task_state = submitted
    client.force_login(bob)
    assert approve_url(letter, task_state) in client.get("/admin/").content.decode()
    later = edit_as(carol, letter, "A question nobody reviewed?")
    # Not offered on the dashboard any more (the editor offers it, for the current version)…
    dashboard = client.get("/admin/").content.decode()
    assert approve_url(letter, task_state) not in dashboard
    assert "A question nobody reviewed?" in dashboard  # still listed: Edit, Request changes
    # …and refused if posted anyway.
    client.post(approve_url(letter, task_state), {"comment": ""})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not is_live(letter)

    later.delete()  # back to the submitted version
    letter.latest_revision = task_state.revision
    letter.save(update_fields=["latest_revision"])
    client.post(approve_url(letter, task_state), {"comment": "", "next": "/admin/"})
    assert is_live(letter)
    assert letter.live_revision_id == task_state.revision_id


def test_the_workflow_publishes_the_revision_approved_not_a_later_one(submitted, bob):
    letter, task_state = submitted
    task_state.approve(user=bob)  # finishes the workflow: publish_approved ran
    approved = task_state.revision_id
    edit_as(bob, letter, "A later draft?")
    LetterPage.objects.get(pk=letter.pk).unpublish()
    state = WorkflowState.objects.get(pk=task_state.workflow_state_id)
    publish_approved(state, user=bob)
    letter.refresh_from_db()
    assert (letter.live, letter.live_revision_id) == (True, approved)
    assert state.status == WorkflowState.STATUS_APPROVED


def test_a_reviewer_without_page_permissions_lands_on_the_dashboard(
    client, submitted, bob, topic, columnist
):
    letter, task_state = submitted
    client.force_login(bob)
    _, shown = open_in_editor(client, letter)
    response = approve_in_editor(client, letter, untouched_form(letter, topic, columnist), shown)
    assert is_live(letter)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    landing = client.get(response["Location"])
    assert landing.status_code == 200
    said = messages_of(landing)
    assert DENIED not in said
    assert f"“{letter.title}” is approved and published." in said
