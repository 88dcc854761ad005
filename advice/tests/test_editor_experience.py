"""An editor's path through the admin: create a letter under the column, preview it,
schedule it, see it go live; publish directly; the "Answer review" workflow is on offer."""

import datetime
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision, Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from advice.models import LetterPage


def letter_form(topic, columnist, **overrides):
    data = {
        "title": "Can I ask for a different colour after ordering?",
        "slug": "different-colour-after-ordering",
        "dek": "A reader wonders whether an order can still change.",
        "letter": rich_text("<p>I placed an order last month and now I regret the colour.</p>"),
        "pen_name": "Colour Doubter",
        "salutation": "",
        "answer": streamfield(
            [
                ("paragraph", rich_text("<p>Ask your sales associate kindly, and soon.</p>")),
                ("pull_quote", {"quote": "Ask early, ask once.", "attribution": ""}),
            ]
        ),
        "sign_off": "Fingers crossed for you.",
        "columnist": columnist.pk,
        "date": "2026-11-20",
        "related_links": inline_formset([]),
    }
    data.update(overrides)
    form = nested_form_data(data)
    form["topics"] = [topic.pk]  # a list inside nested_form_data would become topics-0
    return form


@pytest.mark.django_db
def test_editor_previews_a_new_letter_before_saving(admin_client, column, topic, columnist):
    preview_url = reverse(
        "wagtailadmin_pages:preview_on_add", args=("advice", "letterpage", column.pk)
    )
    response = admin_client.post(preview_url, letter_form(topic, columnist))
    assert response.json()["is_valid"] is True
    preview = admin_client.get(preview_url).content.decode()
    assert "Dear Colour Doubter:" in preview
    assert "Ask early, ask once." in preview
    assert not LetterPage.objects.exists()  # a preview stores no page


@pytest.mark.django_db
def test_editor_schedules_a_letter_and_it_goes_live_on_time(
    admin_client, client, column, topic, columnist
):
    add_url = reverse("wagtailadmin_pages:add", args=("advice", "letterpage", column.pk))
    assert admin_client.get(add_url).status_code == 200
    go_live = timezone.now() + datetime.timedelta(days=2)
    form = letter_form(
        topic, columnist, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"), **{"action-publish": "1"}
    )
    response = admin_client.post(add_url, form)
    assert response.status_code == 302

    letter = LetterPage.objects.get(slug="different-colour-after-ordering")
    assert not letter.live
    assert client.get("/dear-pursebop/different-colour-after-ordering/").status_code == 404

    assert Revision.objects.get(object_id=str(letter.pk)).approved_go_live_at is not None
    call_command("publish_scheduled", verbosity=0)  # not due yet
    letter.refresh_from_db()
    assert not letter.live

    # Two days pass: publish_scheduled (run every minute by `make run`, by cron in
    # production) publishes the revision that is now due.
    later = go_live + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
    letter.refresh_from_db()
    assert letter.live
    page = client.get("/dear-pursebop/different-colour-after-ordering/")
    assert page.status_code == 200
    assert "Dear Colour Doubter:" in page.content.decode()


@pytest.mark.django_db
def test_editor_publishes_a_letter_at_once(admin_client, client, column, topic, columnist):
    add_url = reverse("wagtailadmin_pages:add", args=("advice", "letterpage", column.pk))
    response = admin_client.post(add_url, letter_form(topic, columnist, **{"action-publish": "1"}))
    assert response.status_code == 302
    letter = LetterPage.objects.get()
    assert letter.live
    assert list(letter.topics.all()) == [topic]
    assert client.get("/dear-pursebop/different-colour-after-ordering/").status_code == 200


@pytest.mark.django_db
def test_a_letter_without_its_title_is_refused_with_the_text_kept(
    admin_client, column, topic, columnist
):
    add_url = reverse("wagtailadmin_pages:add", args=("advice", "letterpage", column.pk))
    # Drafts may be saved incomplete (Wagtail 7+); publishing needs every required field.
    # (A pen name may be left blank: a letter signed without one.)
    form = letter_form(topic, columnist, title="", **{"action-publish": "1"})
    response = admin_client.post(add_url, form)
    assert response.status_code == 200
    assert not LetterPage.objects.exists()
    html = response.content.decode()
    assert "This field is required" in html
    assert "A reader wonders whether an order can still change." in html


@pytest.mark.django_db
def test_answer_review_workflow_can_be_assigned_to_a_column(column):
    workflow = Workflow.objects.get(name="Answer review")
    assert workflow.active
    workflow.workflow_pages.create(page=column)
    assert column.get_workflow() == workflow


@pytest.mark.django_db
def test_a_new_letters_title_fills_its_slug_as_a_guides_does(admin_client, column, guide_index):
    """The title field is Wagtail's title panel: typing the question fills in the slug (the
    browser side is Wagtail's w-sync controller, wired by these attributes)."""

    def title_input(parent, model):
        url = reverse("wagtailadmin_pages:add", args=("advice", model, parent.pk))
        html = admin_client.get(url).content.decode()
        return BeautifulSoup(html, "html.parser").select_one("input[name=title]")

    guide_title = title_input(guide_index, "guidepage")
    letter_title = title_input(column, "letterpage")
    assert "w-sync" in guide_title["data-controller"]
    assert "w-sync" in letter_title.get("data-controller", "")
    assert letter_title["data-w-sync-target-value"] == guide_title["data-w-sync-target-value"]
    assert "slug" in letter_title["data-w-sync-target-value"]
    # The editors' help stays with the field.
    assert "reader’s question" in str(letter_title.find_parent("section") or letter_title.parent)


@pytest.mark.django_db
def test_topics_are_checkboxes_with_help(admin_client, column, topic):
    url = reverse("wagtailadmin_pages:add", args=("advice", "letterpage", column.pk))
    soup = BeautifulSoup(admin_client.get(url).content, "html.parser")
    box = soup.select_one("input[type=checkbox][name=topics]")
    assert box is not None and box["value"] == str(topic.pk)
    assert "Tick every topic" in soup.get_text()
