"""'Readers weigh in' in Chromium: a moderator picks an approved reply from its page on the
desk; the letter's page then shows it first, under "Readers weigh in", marked "Editors’ pick"
in words; unpicked, it goes back among the others. The letter page passes axe-core with a
pick on it."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.utils import timezone

from comments.models import ReplyStatus
from testing.replies import store_reply
from testing.users import ensure_reply_moderators_group

PASSWORD = "handbag-picks-2026"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture
def letter(site_at_live_server, make_letter):
    return make_letter("Should I keep a bag with a scuffed corner?", date=timezone.localdate())


@pytest.fixture
def moderator(transactional_db):
    user = get_user_model().objects.create_user(
        "pia", email="pia@example.com", password=PASSWORD, first_name="Pia"
    )
    user.groups.add(ensure_reply_moderators_group())
    return user


def reply_texts(page):
    return [text.strip() for text in page.locator(".reply-list .reply__body").all_inner_texts()]


def test_a_moderator_picks_a_reply_and_readers_see_it_first(
    page, browser, live_server, letter, moderator
):
    store_reply(letter, status=ReplyStatus.APPROVED, user_name="Ada", comment="Return it.")
    best = store_reply(
        letter,
        status=ReplyStatus.APPROVED,
        user_name="Bea",
        comment="A scuffed corner takes colour well: ask the boutique about a repair.",
    )
    assert page.goto("/admin/login/").status == 200
    page.get_by_label("Username").fill(moderator.username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

    assert page.goto(f"/admin/snippets/comments/reply/inspect/{best.pk}/").status == 200
    with page.expect_navigation():
        page.get_by_role("button", name="Pick for Readers weigh in").click()
    assert page.get_by_text(f"Reply #{best.pk} picked for “Readers weigh in”.").is_visible()

    reader = browser.new_page(base_url=live_server.url)
    assert reader.goto(letter.url).status == 200
    picks = reader.get_by_role("region", name="Readers weigh in")
    assert picks.locator(".reply__body").all_inner_texts()[0].startswith("A scuffed corner")
    assert picks.get_by_text("Editors’ pick").is_visible()
    assert reply_texts(reader)[0].startswith("A scuffed corner")
    results = Axe().run(reader, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()

    with page.expect_navigation():
        page.get_by_role("button", name="Unpick").click()
    assert reader.goto(letter.url).status == 200
    assert reader.get_by_role("region", name="Readers weigh in").count() == 0
    assert reply_texts(reader) == [
        "Return it.",
        "A scuffed corner takes colour well: ask the boutique about a repair.",
    ]
    reader.close()
