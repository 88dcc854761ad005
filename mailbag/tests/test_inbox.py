"""The inbox: tabs with counts, search, topic filter, the menu label and dashboard count, bulk
actions, the audit log, and who sees what: Editors (by the migration) work the inbox and see
addresses; a user who may view letters without "Can see readers’ addresses" never sees one
(listing, search, letter page, history, chooser, export); others see no inbox at all."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from mailbag.models import ReaderLetter, ReaderLetterStatus
from testing.letters import store_letter

LIST = "wagtailsnippets_mailbag_readerletter:list"
SECRET = "hidden.writer@example.com"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def make_user(name, groups=(), perms=(), superuser=False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(name, f"{name}@staff.example", "pw")
    user = User.objects.create_user(name, f"{name}@staff.example", "pw")
    user.groups.add(*[Group.objects.get(name=g) for g in groups])
    for app_label, codename in perms:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def editor(db):
    return make_user("eddie", groups=["Editors"])


@pytest.fixture
def reader_of_letters(db):
    """May work the inbox, may not see addresses."""
    return make_user(
        "vera",
        perms=[
            ("wagtailadmin", "access_admin"),
            ("mailbag", "view_readerletter"),
            ("mailbag", "change_readerletter"),
        ],
    )


@pytest.fixture
def letters(column, topic):
    return {
        "new": store_letter(column, pen_name="Anxious Annie", letter="Strap broke", topic=topic),
        "new2": store_letter(column, pen_name="Bargain Bea", letter="Outlet finds", email=SECRET),
        "short": store_letter(
            column, pen_name="Careful Cy", letter="Vintage", status=ReaderLetterStatus.SHORTLISTED
        ),
        "declined": store_letter(
            column, pen_name="Dour Di", letter="Rant", status=ReaderLetterStatus.DECLINED
        ),
    }


def names(response):
    links = soup(response).select("table tbody td a[href*='inspect']")
    shown = [a.text.split(":")[0].strip() for a in links]
    return [name for name in shown if name != "Inspect"]


def test_editors_get_the_inbox_and_the_address_permission_from_the_migration(db):
    codenames = set(
        Group.objects.get(name="Editors")
        .permissions.filter(content_type__app_label="mailbag")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_readerletter", "change_readerletter", "change_mailbagsettings"}
    # Addresses: guard's one permission (mailbag's own was moved to it).
    assert Group.objects.get(name="Editors").permissions.filter(
        content_type__app_label="guard", codename="see_reader_addresses"
    )
    assert not Group.objects.get(name="Moderators").permissions.filter(
        content_type__app_label="mailbag"
    )


def test_tabs_count_and_list_each_status(client, editor, letters):
    client.force_login(editor)
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    tabs = [" ".join(a.text.split()) for a in soup(response).select(".desk-queues__tab")]
    assert tabs == ["New 2", "Shortlisted 1", "Answered 0", "Declined 1", "All letters 4"]
    assert sorted(names(response)) == ["Anxious Annie", "Bargain Bea"]
    assert names(client.get(reverse(LIST), {"status": "shortlisted"})) == ["Careful Cy"]
    assert len(names(client.get(reverse(LIST), {"status": "all"}))) == 4


def test_search_and_topic_filter(client, editor, letters, topic):
    client.force_login(editor)
    assert names(client.get(reverse(LIST), {"q": "outlet", "status": "all"})) == ["Bargain Bea"]
    assert names(client.get(reverse(LIST), {"q": "careful", "status": "all"})) == ["Careful Cy"]
    assert names(client.get(reverse(LIST), {"topic": topic.pk, "status": "all"})) == [
        "Anxious Annie"
    ]
    # Editors may find a letter by its address.
    assert names(client.get(reverse(LIST), {"q": "hidden.writer", "status": "all"})) == [
        "Bargain Bea"
    ]


def test_the_menu_label_and_the_dashboard_count_new_letters(client, editor, letters):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert "Reader letters (2 new)" in response.text
    panel = soup(response).select_one("#new-reader-letters-section")
    assert "New reader letters (2)" in panel.text
    assert "Anxious Annie" in panel.text and "Careful Cy" not in panel.text


def test_editors_see_the_address_everywhere_it_is_shown(client, editor, letters):
    client.force_login(editor)
    listing = client.get(reverse(LIST))
    assert SECRET in listing.text
    detail = client.get(
        reverse("wagtailsnippets_mailbag_readerletter:inspect", args=[letters["new2"].pk])
    )
    assert SECRET in detail.text


def test_without_the_permission_the_address_is_shown_nowhere(client, reader_of_letters, letters):
    client.force_login(reader_of_letters)
    bea = letters["new2"]
    urls = [
        reverse(LIST),
        reverse(LIST) + "?status=all",
        reverse("wagtailsnippets_mailbag_readerletter:inspect", args=[bea.pk]),
        reverse("wagtailsnippets_mailbag_readerletter:history", args=[bea.pk]),
        reverse("wagtailsnippets_mailbag_readerletter:edit", args=[bea.pk]),
        reverse("wagtailsnippets_mailbag_readerletter:list") + "?export=csv&status=all",
        reverse("wagtailsnippets_mailbag_readerletter:list") + "?export=xlsx&status=all",
        reverse("wagtailsnippetchoosers_mailbag_readerletter:choose"),
        reverse("wagtailsnippetchoosers_mailbag_readerletter:choose_results") + "?q=Bea",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        assert b"hidden.writer" not in body, url
    assert "Bargain Bea" in client.get(reverse(LIST)).text
    # Searching by address finds nothing: it must not tell that the address wrote in.
    assert names(client.get(reverse(LIST), {"q": "hidden.writer", "status": "all"})) == []


def test_the_export_has_the_address_only_for_editors(client, editor, letters):
    client.force_login(editor)
    response = client.get(reverse(LIST) + "?export=csv&status=all")
    assert SECRET.encode() in b"".join(response)


def test_others_see_no_inbox_and_no_chooser(client, letters):
    moderator = make_user("mo", groups=["Moderators"])
    client.force_login(moderator)
    assert "Reader letters" not in client.get(reverse("wagtailadmin_home")).text
    assert client.get(reverse(LIST)).status_code in (302, 403)
    chooser = client.get(
        reverse("wagtailsnippetchoosers_mailbag_readerletter:choose"),
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert chooser.status_code in (302, 403)
    assert b"Bargain Bea" not in chooser.content


def test_shortlist_decline_and_back_to_new_are_logged(client, editor, letters):
    client.force_login(editor)
    annie = letters["new"]
    act = reverse("wagtailsnippets_mailbag_readerletter:act", args=[annie.pk])
    for action, status in [
        ("shortlist", "shortlisted"),
        ("new", "new"),
        ("decline", "declined"),
    ]:
        client.post(act, {"action": action})
        annie.refresh_from_db()
        assert annie.status == status
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(annie.pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["mailbag.shortlist", "mailbag.new", "mailbag.decline"]
    history = client.get(reverse("wagtailsnippets_mailbag_readerletter:history", args=[annie.pk]))
    assert "Shortlisted" in history.text and "Declined" in history.text


def test_a_user_who_may_only_view_cannot_act(client, letters):
    viewer = make_user(
        "vic", perms=[("wagtailadmin", "access_admin"), ("mailbag", "view_readerletter")]
    )
    client.force_login(viewer)
    act = reverse("wagtailsnippets_mailbag_readerletter:act", args=[letters["new"].pk])
    assert client.post(act, {"action": "decline"}).status_code in (302, 403)
    letters["new"].refresh_from_db()
    assert letters["new"].status == "new"


def test_bulk_actions_change_the_ticked_letters(client, editor, letters):
    client.force_login(editor)
    ids = [letters["new"].pk, letters["new2"].pk]
    url = (
        reverse("wagtail_bulk_action", args=["mailbag", "readerletter", "letters-shortlisted"])
        + "?"
        + "&".join(f"id={pk}" for pk in ids)
    )
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Anxious Annie" in confirm.text
    assert SECRET not in confirm.text
    client.post(url)
    assert set(ReaderLetter.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "shortlisted"
    }
    decline = (
        reverse("wagtail_bulk_action", args=["mailbag", "readerletter", "letters-declined"])
        + f"?id={letters['new'].pk}"
    )
    client.post(decline)
    assert ReaderLetter.objects.get(pk=letters["new"].pk).status == "declined"


@pytest.mark.django_db
def test_the_inbox_shows_dates_in_the_admins_one_style(client, editor, column):
    """As the desk and Wagtail's own listings: "30 Nov 2026, 14:30" (config/formats/en_GB)."""
    letter = store_letter(column, pen_name="Dated Dora", letter="When?")
    sent = datetime.datetime(2026, 11, 30, 14, 30, tzinfo=datetime.UTC)
    ReaderLetter.objects.filter(pk=letter.pk).update(submitted_at=sent)
    client.force_login(editor)
    for url in (reverse(LIST), "/admin/"):
        dates = soup(client.get(url)).select(".w-human-readable-date")
        assert [d["data-w-tooltip-content-value"] for d in dates] == ["30 Nov 2026, 14:30"], url


def test_a_letters_page_names_it_once_and_says_notify_on_answer_in_words(client, editor, column):
    asked = store_letter(column, pen_name="Bargain Bea", letter="Outlet finds")
    not_asked = store_letter(column, pen_name="Quiet Quinn", notify_on_answer=False)
    client.force_login(editor)

    def page(letter):
        return soup(
            client.get(reverse("wagtailsnippets_mailbag_readerletter:inspect", args=[letter.pk]))
        )

    def field(html, label):
        term = html.find("dt", string=lambda text: text and text.strip() == label)
        return term.find_next_sibling("dd").get_text(" ", strip=True)

    html = page(asked)
    whole = str(asked)  # "Letter from Bargain Bea (7 Dec 2026)"
    assert html.title.get_text().startswith(f"{whole} - ")
    assert html.h1.get_text(strip=True) == whole
    crumbs = [
        item.get_text(" ", strip=True) for item in html.select("nav[aria-label=Breadcrumb] li")
    ]
    assert crumbs[-1] == whole
    assert sum("Letter from Bargain Bea" in crumb for crumb in crumbs) == 1
    for hidden in html.select(".w-sr-only"):  # the heading for screen readers, said once
        hidden.decompose()
    main = html.select_one("main").get_text(" ", strip=True)
    assert main.count("Letter from Bargain Bea") == 1  # the last breadcrumb, the page's title
    assert field(html, "Notify on answer") == "Yes — asked to be told when it is answered"
    assert "True" not in main

    html = page(not_asked)
    assert field(html, "Notify on answer") == "No"
    assert "False" not in html.select_one("main").get_text(" ", strip=True)


def test_a_letter_without_a_topic_or_column_says_so_in_words(client, editor, column, topic):
    with_topic = store_letter(column, pen_name="Topical Tess", topic=topic)
    without = store_letter(column, pen_name="Plain Pat")
    ReaderLetter.objects.filter(pk=without.pk).update(column=None)
    client.force_login(editor)

    def fields(letter):
        url = reverse("wagtailsnippets_mailbag_readerletter:inspect", args=[letter.pk])
        html = soup(client.get(url))
        return {
            term.get_text(strip=True): term.find_next_sibling("dd").get_text(" ", strip=True)
            for term in html.select("main dt")
        }

    shown = fields(with_topic)
    assert (shown["Topic"], shown["Column"]) == (topic.name, column.title)
    shown = fields(without)
    assert shown["Topic"] == "None chosen"
    assert shown["Column"] == "None (its column was deleted)"
