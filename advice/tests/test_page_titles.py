"""Page titles are one line: they go into email subjects (reply and workflow emails), where a
line break raises BadHeaderError."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Workflow
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from advice.models import GuidePage, LetterPage
from advice.tests.test_editor_experience import letter_form


@pytest.mark.django_db
@pytest.mark.parametrize("title", ["Line\nbreak", "Carriage\rreturn", "Both\r\nkinds"])
def test_page_titles_with_a_line_break_are_refused(make_letter, make_guide, title):
    for page in (make_letter(), make_guide("A guide", "a-guide")):
        page.title = title
        with pytest.raises(ValidationError) as refused:
            page.full_clean()
        assert "title" in refused.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["action-publish", "action-submit", None])
def test_the_admin_refuses_a_title_with_a_line_break(
    admin_client, column, topic, columnist, action
):
    add_url = reverse("wagtailadmin_pages:add", args=("advice", "letterpage", column.pk))
    extra = {action: "1"} if action else {}
    response = admin_client.post(
        add_url, letter_form(topic, columnist, title="Two\nlines", **extra)
    )
    assert response.status_code == 200
    assert "one line" in response.content.decode()
    assert not LetterPage.objects.exists()


@pytest.mark.django_db
def test_the_admin_refuses_a_guide_title_with_a_line_break(admin_client, guide_index):
    add_url = reverse("wagtailadmin_pages:add", args=("advice", "guidepage", guide_index.pk))
    fields = {
        "slug": "two-lines",
        "dek": "",
        "body": streamfield([("paragraph", rich_text("<p>Body.</p>"))]),
        "columnist": "",
        "date": "2026-03-01",
        "hero_image": "",
    }
    for title, saved in [("Two\nlines", False), ("One line", True)]:
        form = nested_form_data({"title": title, **fields})
        response = admin_client.post(add_url, {**form, "action-publish": "1"})
        assert response.status_code == (302 if saved else 200)
        assert ("one line" in response.content.decode()) != saved
        assert GuidePage.objects.exists() == saved


@pytest.mark.django_db
def test_workflow_emails_about_a_stored_two_line_title_have_one_line_subjects(
    column, make_letter, mailoutbox
):
    """Wagtail's workflow emails put the title in their subject (and drop the email, logging
    an error, when the subject has a line break)."""
    workflow = Workflow.objects.get(name="Answer review")
    workflow.workflow_pages.create(page=column)
    reviewer = get_user_model().objects.create_user("rev", email="rev@example.com")
    reviewer.groups.add(workflow.tasks.first().specific.groups.first())
    author = get_user_model().objects.create_user("author", email="author@example.com")
    letter = make_letter("Line break")
    # Stored past the page form's check (older data, or code saving without clean()).
    letter.title = letter.draft_title = "Line\nbreak"
    letter.save_revision(user=author, clean=False)
    LetterPage.objects.filter(pk=letter.pk).update(title=letter.title, draft_title=letter.title)
    workflow.start(letter, author)
    [message] = [message for message in mailoutbox if message.to == ["rev@example.com"]]
    assert message.subject.startswith('The page "Line break" has been submitted')
    assert not {"\n", "\r"} & set(message.subject)
    message.message()  # what sending builds: it would raise BadHeaderError
