"""Who may use the moderation desk: anonymous visitors, editors, users with a stray Django
permission, moderators, superusers."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from wagtail.models import ModelLogEntry

from guard.models import BlockedSender
from testing.desk import (
    APPROVED,
    DENIED,
    ERASE_URL,
    LIST_URL,
    PENDING,
    block_url,
    bulk_url,
    history_url,
    inspect_url,
    listed,
    listing,
    menu_labels,
    messages_of,
    moderate_url,
    soup,
)

# --- Who may use the desk -------------------------------------------------------------------


def desk_urls(reply):
    """Every desk address, with the POST data that would change something there."""
    return [
        (LIST_URL, {}),
        (inspect_url(reply), {}),
        (moderate_url(reply), {"action": "approve"}),
        (block_url(reply), {"kind": "email", "action": "refuse", "expires": ""}),
        (bulk_url("approve", reply, next=LIST_URL), {}),
        (ERASE_URL, {"email": reply.user_email, "step": "erase", "confirm": "on"}),
        (history_url(reply), {}),
        ("/admin/snippets/comments/rejectionreason/", {}),
        ("/admin/snippets/guard/blockedsender/", {}),
    ]


def assert_nothing_changed(reply, mailoutbox):
    reply.refresh_from_db()
    assert reply.status == PENDING
    assert ModelLogEntry.objects.filter(action__startswith="comments.").count() == 0
    assert BlockedSender.objects.count() == 0
    assert mailoutbox == []


def test_anonymous_visitors_are_sent_to_the_admin_login(client, held, mailoutbox):
    for url, data in desk_urls(held):
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 302, url
            assert response["Location"].startswith("/admin/login/?next="), url
    assert_nothing_changed(held, mailoutbox)


def test_an_editor_is_sent_back_to_the_dashboard_and_nothing_changes(
    client, editor, held, mailoutbox
):
    client.force_login(editor)
    for url, data in desk_urls(held):
        for response in (client.get(url), client.post(url, data)):
            # Wagtail turns PermissionDenied in the admin into a redirect with a message.
            assert (response.status_code, response["Location"]) == (302, "/admin/"), url
            assert messages_of(response) == [DENIED], url
    assert_nothing_changed(held, mailoutbox)


def test_an_editor_sees_no_desk_in_the_menu_and_no_panel_on_the_dashboard(client, editor, held):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    labels = menu_labels(response)
    assert "Pages" in labels  # the menu is there...
    assert not [label for label in labels if "replies" in label or "queue" in label], labels
    assert "Replies awaiting moderation" not in response.text


def test_change_reply_permission_without_can_moderate_does_not_open_the_desk(
    client, held, mailoutbox
):
    user = get_user_model().objects.create_user("clerk", email="clerk@example.com")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="comments",
            codename__in=["view_reply", "change_reply", "delete_reply"],
        ),
    )
    assert user.has_perm("comments.change_reply")
    client.force_login(user)
    for url, data in desk_urls(held):
        for response in (client.get(url), client.post(url, data)):
            assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    assert_nothing_changed(held, mailoutbox)
    labels = menu_labels(client.get("/admin/"))
    assert not [label for label in labels if "replies" in label or "queue" in label], labels


def test_a_moderator_opens_every_page_of_the_desk(desk, sees_addresses, held, reason):
    for url, _data in desk_urls(held):
        if "/moderate/" in url or "/block/" in url:
            continue  # blocking is POST only; GET on moderate is the rejection page, below
        response = desk.get(url)
        assert response.status_code == 200, url
    page = soup(desk.get(moderate_url(held), {"next": listing(queue="pending")}))
    assert page.select_one(".desk-quote").get_text(" ", strip=True).startswith("Hopeful Harriet")
    options = [option.get_text() for option in page.select("select[name=reason_choice] option")]
    assert reason.text in options
    assert page.select_one("input[name=next]")["value"] == listing(queue="pending")


def test_a_superuser_may_moderate_too(client, superuser, held):
    client.force_login(superuser)
    assert listed(client.get(LIST_URL)) == [held.pk]
    client.post(moderate_url(held), {"action": "approve"})
    held.refresh_from_db()
    assert held.status == APPROVED
