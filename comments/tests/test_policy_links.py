"""A crafted link in the reply policy's guidelines (shown under every letter) is refused when
saved, and one already stored shows as plain text: the letters and the settings page answer."""

import json

import pytest

from comments.models import ReplyPolicy
from comments.tests.test_desk_policy import form_data
from testing.desk import soup

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack

BAD_GUIDELINES = '<p>Read <a linktype="page" id="abc">our rules</a> first.</p>'


def test_stored_bad_guidelines_show_as_text_and_their_settings_page_opens(
    desk, policy, letter, other_visitor
):
    ReplyPolicy.objects.filter(pk=policy.pk).update(guidelines=BAD_GUIDELINES)
    page = other_visitor.get(letter.url)
    assert page.status_code == 200
    assert "Read our rules first." in soup(page).get_text()
    assert not [
        a for a in soup(page).find_all("a") if a.get_text() == "our rules" and a.get("href")
    ]

    settings_page = desk.get(f"/admin/settings/comments/replypolicy/{policy.site_id}/")
    assert settings_page.status_code == 200
    assert "our rules" in settings_page.content.decode()


def test_guidelines_with_a_link_to_no_page_number_are_refused_with_the_text_kept(desk, policy):
    url = f"/admin/settings/comments/replypolicy/{policy.site_id}/"
    data = form_data(desk.get(url))
    data["guidelines"] = json.dumps(
        {
            "blocks": [
                {
                    "key": "k1",
                    "type": "unstyled",
                    "depth": 0,
                    "text": "Read our rules first.",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 5, "length": 9, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"id": "abc"}}},
        }
    )
    response = desk.post(url, data)
    assert response.status_code == 200
    errors = " ".join(e.get_text() for e in soup(response).select(".error-message"))
    assert "a link to page “abc”, which is not a page number" in errors
    assert "Read our rules first." in response.content.decode()
    policy.refresh_from_db()
    assert "abc" not in policy.guidelines
