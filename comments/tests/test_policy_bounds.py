"""The numbers a moderator sets have upper bounds the form states, and a letter's closing
date never runs past the last date Python knows (9999-12-31)."""

import datetime

import pytest

from advice.models import LetterPage
from comments.models import ReplyPolicy
from comments.tests.test_desk_policy import form_data
from testing.desk import soup

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack


@pytest.mark.parametrize(
    ("field", "too_big", "limit"),
    [
        ("close_after_days", "2932896", 3650),
        ("link_limit", "9223372036854775807", 100),
        ("report_threshold", "100000", 1000),
        ("threads_per_page", "1000000", 200),
    ],
)
def test_the_policy_form_refuses_a_number_past_its_bound_and_keeps_it(
    desk, policy, field, too_big, limit
):
    url = f"/admin/settings/comments/replypolicy/{policy.site_id}/"
    data = form_data(desk.get(url))
    data[field] = too_big
    response = desk.post(url, data)
    assert response.status_code == 200
    errors = " ".join(e.get_text() for e in soup(response).select(".error-message"))
    assert f"less than or equal to {limit}" in errors
    assert soup(response).select_one(f"input[name={field}]")["value"] == too_big
    policy.refresh_from_db()
    assert str(getattr(policy, field)) != too_big


def test_a_letter_on_the_last_date_with_a_closing_period_still_opens(
    policy, letter, other_visitor, page_cache_off
):
    """Stored before the bounds (SQLite took any number; 32,767 is the most PostgreSQL's
    column holds), neither overflows the closing date."""
    LetterPage.objects.filter(pk=letter.pk).update(date=datetime.date(9999, 12, 31))
    for days in (30, 32_767):
        ReplyPolicy.objects.filter(pk=policy.pk).update(close_after_days=days)
        response = other_visitor.get(letter.url)
        assert response.status_code == 200
        assert soup(response).find("textarea", attrs={"name": "comment"})  # replies stay open
