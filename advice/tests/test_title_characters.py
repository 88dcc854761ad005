"""Page titles hold no bidi override or other hidden format character: a right-to-left
override turns the rest of a line around wherever the title is shown (listings, feeds, email
subjects). The editor is told which character, and keeps the rest of the title."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page

from advice.models import LetterPage
from advice.tests.test_editor_experience import letter_form
from testing.letters import add_write_in_page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "title", ["Strap \u202egab ym\u202c broke", "Zero\u200bwidth", "\ufeffBOM"]
)
def test_titles_with_hidden_format_characters_are_refused(
    make_letter, make_guide, column, home_page, title
):
    pages = [make_letter(), make_guide("A guide", "a-guide"), column, home_page]
    for page in pages:
        page.title = title
        with pytest.raises(ValidationError) as refused:
            page.full_clean()
        assert "title" in refused.value.message_dict, type(page)


@pytest.mark.django_db
def test_a_write_in_pages_title_is_checked_too(home_page, column):
    page = Page.objects.get(pk=add_write_in_page(column).pk).specific
    page.title = "Write \u202eto us"
    with pytest.raises(ValidationError):
        page.full_clean()


@pytest.mark.django_db
def test_joiners_that_scripts_and_emoji_need_are_kept(make_letter):
    page = make_letter()
    page.title = (
        "Family bag \U0001f469\u200d\U0001f467 for \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    )
    page.full_clean()


@pytest.mark.django_db
def test_the_admin_names_the_character_and_keeps_the_title(admin_client, column, topic, columnist):
    add_url = reverse("wagtailadmin_pages:add", args=("advice", "letterpage", column.pk))
    title = "My strap \u202ekaerb\u202c again"
    response = admin_client.post(
        add_url, letter_form(topic, columnist, title=title, **{"action-publish": "1"})
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in text
    assert "The rest of the title is kept." in text
    assert "kaerb" in text
    assert not LetterPage.objects.exists()
