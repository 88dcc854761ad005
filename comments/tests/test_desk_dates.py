"""The desk shows dates in the admin's one style (config/formats/en_GB): "30 Nov 2026, 14:30",
as Wagtail's own listings do in their tooltips; its date pickers read it back."""

import datetime

from django import forms
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from comments.models import Reply
from testing.desk import LIST_URL, inspect_url, soup

POSTED = datetime.datetime(2026, 11, 30, 14, 30, tzinfo=datetime.UTC)


def test_the_desk_shows_dates_in_one_style(desk, held):
    Reply.objects.filter(pk=held.pk).update(submit_date=POSTED)
    page = soup(desk.get(inspect_url(held)))
    posted = page.find("dt", string="Posted").find_next_sibling("dd").get_text()
    assert posted == "30 Nov 2026, 14:30"
    assert "30 Nov 2026" in page.select_one(".desk-preview__meta").get_text()
    listing = soup(desk.get(LIST_URL))
    tooltip = listing.select_one("td .w-human-readable-date")["data-w-tooltip-content-value"]
    assert tooltip == "30 Nov 2026, 14:30"
    dashboard = soup(desk.get("/admin/"))
    held_panel = dashboard.select_one(".desk-panel .w-human-readable-date")
    assert held_panel["data-w-tooltip-content-value"] == "30 Nov 2026, 14:30"


def test_the_date_pickers_write_and_read_the_same_style():
    day = datetime.date(2026, 11, 30)
    assert AdminDateInput().format_value(day) == "30 Nov 2026"
    assert AdminDateTimeInput().format_value(POSTED.replace(tzinfo=None)) == "30 Nov 2026 14:30"
    assert forms.DateField().clean("30 Nov 2026") == day
    assert forms.DateField().clean("2026-11-30") == day  # ISO still read
    assert forms.DateTimeField().clean("30 Nov 2026 14:30") == POSTED
