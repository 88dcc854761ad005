"""Letters are dated from 1 January 1000 to 31 December 9989 (advice.models.limits): the
editor is told so, and a letter stored before the range existed still gets its archives."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command

from advice.models import AdviceIndexPage, LetterPage
from advice.tests.test_editor_experience import letter_form

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack

RANGE = "Choose a date between 1 January 1000 and 31 December 9989."


@pytest.mark.django_db
@pytest.mark.parametrize("date", [datetime.date(999, 12, 31), datetime.date(9990, 1, 1)])
def test_a_letter_dated_outside_the_range_is_refused(make_letter, date):
    letter = make_letter("A dated question?")
    letter.date = date
    with pytest.raises(ValidationError) as refused:
        letter.full_clean()
    assert refused.value.message_dict["date"] == [RANGE]


@pytest.mark.django_db
def test_the_editor_says_the_range_and_keeps_the_date_typed(
    admin_client, make_letter, topic, columnist
):
    letter = make_letter("A dated question?", topics=[topic])
    form = letter_form(topic, columnist, title=letter.title, slug=letter.slug, date="9999-12-31")
    response = admin_client.post(f"/admin/pages/{letter.pk}/edit/", form)
    assert response.status_code == 200
    assert RANGE in response.content.decode()
    assert 'value="9999-12-31"' in response.content.decode()
    letter.refresh_from_db()
    assert letter.date != datetime.date(9999, 12, 31)


@pytest.mark.django_db
def test_letters_per_page_has_an_upper_bound(column):
    column.letters_per_page = 101
    with pytest.raises(ValidationError) as refused:
        column.full_clean()
    assert "less than or equal to 100" in refused.value.message_dict["letters_per_page"][0]


@pytest.mark.django_db
def test_a_letter_stored_before_the_year_1000_keeps_its_archives_working(
    client, make_letter, column
):
    letter = make_letter("An ancient question?")
    LetterPage.objects.filter(pk=letter.pk).update(date=datetime.date(999, 5, 1))
    call_relist(column)
    archive = client.get(column.url)
    assert archive.status_code == 200
    links = BeautifulSoup(archive.content, "html.parser").find_all("a")
    month = next(a["href"] for a in links if a.get_text(strip=True) == "May 999")
    assert month.endswith("/0999/5/")
    response = client.get(month)
    assert response.status_code == 200
    assert "An ancient question?" in response.content.decode()
    assert client.get(month.replace("5/", "")).status_code == 200
    paths = AdviceIndexPage.objects.get(pk=column.pk).get_cached_paths()
    assert "0999/" in paths and "0999/5/" in paths


def call_relist(column):
    """The listing index reads the letter's date when the letter is saved; the update above
    bypassed that, so rebuild it as the command does."""
    call_command("relist_letters", stdout=io.StringIO())
