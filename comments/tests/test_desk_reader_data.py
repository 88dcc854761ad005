"""Wagtail's views around the desk's models (replies, blocked addresses, rejection reasons)
that the desk's own permission checks do not cover: the snippet choosers and the bulk delete.
They show readers' emails and addresses, so only moderators may open them."""

import pytest

from guard.models import BlockedSender
from testing.desk import DENIED, messages_of

CHOOSERS = ["comments/reply", "guard/blockedsender", "comments/rejectionreason"]
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def block(held):
    return BlockedSender.objects.create(
        kind="email", value=held.user_email, action="refuse", reason="Leaked"
    )


def chooser_urls(held, block, reason):
    """Every chooser address of the desk's models, each with an object it would show."""
    objects = {
        "comments/reply": held,
        "guard/blockedsender": block,
        "comments/rejectionreason": reason,
    }
    urls = []
    for chooser in CHOOSERS:
        base = f"/admin/snippets/choose/{chooser}/"
        pk = objects[chooser].pk
        urls += [
            base,
            f"{base}?q=harriet",
            f"{base}results/",
            f"{base}results/?q=harriet",
            f"{base}chosen/{pk}/",
            f"{base}chosen-multiple/?id={pk}",
            f"{base}create/",
        ]
    return urls


READER_DATA = ["harriet@example.com", "192.0.2.7", "Hopeful Harriet", "Leaked"]


def assert_no_reader_data(response, url):
    body = response.content.decode()
    for secret in READER_DATA:
        assert secret not in body, (url, secret)


def test_an_editor_opens_no_chooser_of_the_desk(client, editor, held, block, reason):
    client.force_login(editor)
    for url in chooser_urls(held, block, reason):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url
        assert messages_of(response) == [DENIED], url
        assert_no_reader_data(response, url)
        # The modal loads them with XMLHttpRequest: a plain 403 then.
        response = client.get(url, **XHR)
        assert response.status_code == 403, url
        assert_no_reader_data(response, url)
    client.post(
        "/admin/snippets/choose/guard/blockedsender/create/",
        {"kind": "ip", "value": "198.51.100.1", "action": "refuse"},
    )
    assert list(BlockedSender.objects.all()) == [block]


def test_a_moderator_uses_the_choosers(desk, held, block, reason):
    for url in chooser_urls(held, block, reason):
        if url.endswith("/create/"):
            continue  # the desk's choosers offer no creation form
        response = desk.get(url, **XHR)
        assert response.status_code == 200, url
    listing = desk.get("/admin/snippets/choose/guard/blockedsender/results/", **XHR)
    assert "harriet@example.com" in listing.content.decode()
    chosen = desk.get(f"/admin/snippets/choose/comments/reply/chosen/{held.pk}/", **XHR)
    assert chosen.json()["result"]["id"] == str(held.pk)


def bulk_delete_urls(held, block, reason):
    return [
        f"/admin/bulk/comments/reply/delete/?id={held.pk}",
        f"/admin/bulk/guard/blockedsender/delete/?id={block.pk}",
        f"/admin/bulk/comments/rejectionreason/delete/?id={reason.pk}",
    ]


def test_an_editor_is_refused_the_bulk_delete_of_the_desks_models(
    client, editor, held, block, reason
):
    client.force_login(editor)
    for url in bulk_delete_urls(held, block, reason):
        for response in (client.get(url), client.post(url)):
            assert (response.status_code, response["Location"]) == (302, "/admin/"), url
            assert messages_of(response) == [DENIED], url
            assert_no_reader_data(response, url)
    assert BlockedSender.objects.filter(pk=block.pk).exists()
    assert type(held).objects.filter(pk=held.pk).exists()
    assert type(reason).objects.filter(pk=reason.pk).exists()


def test_a_moderator_bulk_deletes_blocked_addresses(desk, held, block):
    url = f"/admin/bulk/guard/blockedsender/delete/?id={block.pk}"
    assert "harriet@example.com" in desk.get(url).content.decode()
    assert desk.post(url).status_code == 302
    assert not BlockedSender.objects.filter(pk=block.pk).exists()
