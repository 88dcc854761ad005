"""A letter's shown date: empty until its first publication sets it, unless an editor sets it;
the page, the archive, the feed and the closing rule use it."""

import datetime
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from advice.models import LetterPage
from advice.tests.test_editor_experience import letter_form

FIRST_DAY = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
NEXT_WEEK = FIRST_DAY + datetime.timedelta(days=7)


def add_letter(admin_client, column, topic, columnist, **fields):
    add_url = reverse("wagtailadmin_pages:add", args=("advice", "letterpage", column.pk))
    response = admin_client.post(add_url, letter_form(topic, columnist, **fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    return LetterPage.objects.get(slug="different-colour-after-ordering")


def shown_dates(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return [time["datetime"] for time in soup.select(".card time, .byline time")]


@pytest.mark.django_db
def test_a_new_letter_has_no_date_until_it_is_published(admin_client, column, topic, columnist):
    assert LetterPage().date is None
    with mock.patch("django.utils.timezone.now", return_value=FIRST_DAY):
        letter = add_letter(admin_client, column, topic, columnist, date="")
    assert letter.date is None
    # Its preview shows no date rather than the day it was drafted.
    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=(letter.pk,)))
    assert preview.status_code == 200
    assert BeautifulSoup(preview.content, "html.parser").select(".byline time") == []


@pytest.mark.django_db
def test_a_letter_scheduled_for_next_week_is_dated_the_day_it_goes_live(
    admin_client, client, column, topic, columnist
):
    with mock.patch("django.utils.timezone.now", return_value=FIRST_DAY):
        letter = add_letter(
            admin_client,
            column,
            topic,
            columnist,
            date="",
            go_live_at=NEXT_WEEK.strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "1"},
        )
    assert not letter.live
    assert letter.date is None

    with mock.patch("django.utils.timezone.now", return_value=NEXT_WEEK + datetime.timedelta(1)):
        call_command("publish_scheduled", verbosity=0)
    letter.refresh_from_db()
    assert letter.live
    published_on = timezone.localtime(letter.first_published_at).date()
    assert published_on > FIRST_DAY.date()
    assert letter.date == published_on

    iso = published_on.isoformat()
    assert shown_dates(client, letter.url) == [iso]
    assert shown_dates(client, "/dear-pursebop/") == [iso]
    assert shown_dates(client, f"/dear-pursebop/{published_on:%Y/%m}/") == [iso]
    feed = client.get("/dear-pursebop/feed/").content.decode()
    assert f"<pubDate>{published_on:%a, %d %b %Y}" in feed
    # The editor's form now shows the date the page shows, in the admin's date style.
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=(letter.pk,)))
    field = BeautifulSoup(edit.content, "html.parser").select_one("input[name=date]")
    assert field["value"] == f"{published_on:%d %b %Y}"

    # Publishing an edit later keeps the first date.
    letter.save_revision().publish()
    letter.refresh_from_db()
    assert letter.date == published_on


@pytest.mark.django_db
def test_a_date_the_editor_sets_is_kept(admin_client, column, topic, columnist):
    letter = add_letter(
        admin_client, column, topic, columnist, date="2025-12-24", **{"action-publish": "1"}
    )
    assert letter.live
    assert letter.date == datetime.date(2025, 12, 24)
    assert letter.replies_open_since() == datetime.date(2025, 12, 24)
