"""One change, one clear, one purge: each change readers would see drops the kept pages once
(store.invalidate) and queues one CDN purge task, whichever path announced it (a reply's
lifecycle, the moderation desk, a snippet edited in the admin, a page published or moved).
A change nobody sees (a blocked address added on the desk) clears nothing."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

import pagecache
from comments import lifecycle
from comments.models import ReplyStatus
from pagecache import purge, store
from testing.replies import store_reply


@pytest.fixture
def changes(monkeypatch, settings, django_capture_on_commit_callbacks):
    """Counts the clears and the purge tasks queued once the change commits (the purge task
    itself is not run: no proxy is asked)."""
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {"BACKEND": "pagecache.purge.HTTPBackend", "LOCATION": "http://127.0.0.1:9"}
    }
    seen = SimpleNamespace(clears=0, purges=[])
    invalidate = store.invalidate

    def counted_invalidate():
        seen.clears += 1
        invalidate()

    monkeypatch.setattr(store, "invalidate", counted_invalidate)
    monkeypatch.setattr(pagecache, "invalidate", counted_invalidate)
    monkeypatch.setattr(purge, "purge_task", SimpleNamespace(enqueue=seen.purges.append))

    class Change:
        def __enter__(self):
            seen.clears, seen.purges[:] = 0, []
            self.commit = django_capture_on_commit_callbacks(execute=True)
            self.commit.__enter__()
            return seen

        def __exit__(self, *exc):
            return self.commit.__exit__(*exc)

    return Change


@pytest.fixture
def letter(make_letter, topic):
    return make_letter("Should I keep a bag with a crooked strap?", topics=[topic])


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser("mod", "mod@example.com", "pw")


@pytest.mark.django_db
def test_approving_a_reply_clears_and_purges_once(changes, letter, moderator):
    reply = store_reply(letter, comment="Mine was crooked too.")
    with changes() as seen:
        lifecycle.moderate(reply, "approve", moderator)
    assert seen.clears == 1
    assert len(seen.purges) == 1
    assert letter.full_url in seen.purges[0]


@pytest.mark.django_db
def test_a_reply_stored_held_changes_nothing(changes, letter):
    with changes() as seen:
        store_reply(letter, comment="Held for a moderator.")
    assert (seen.clears, seen.purges) == (0, [])


@pytest.mark.django_db
def test_a_reply_corrected_on_the_desk_clears_and_purges_once(changes, client, letter, moderator):
    reply = store_reply(letter, comment="Call me on 0123.", status=ReplyStatus.APPROVED)
    client.force_login(moderator)
    url = reverse("wagtailsnippets_comments_reply:edit", args=[reply.pk])
    with changes() as seen:
        response = client.post(url, {"user_name": reply.user_name or "Pat", "comment": "Hi."})
    assert response.status_code == 302
    assert seen.clears == 1
    assert len(seen.purges) == 1
    assert letter.full_url in seen.purges[0]


@pytest.mark.django_db
def test_a_topic_edited_in_the_admin_clears_and_purges_once(
    changes, admin_client, letter, topic, column
):
    url = reverse("wagtailsnippets_advice_topic:edit", args=[topic.pk])
    with changes() as seen:
        response = admin_client.post(
            url, {"name": topic.name, "slug": topic.slug, "description": "Bags made for you."}
        )
    assert response.status_code == 302
    assert seen.clears == 1
    assert len(seen.purges) == 1
    assert {letter.full_url, column.full_url} <= set(seen.purges[0])


@pytest.mark.django_db
def test_a_blocked_address_added_on_the_desk_changes_no_page(changes, admin_client):
    url = reverse("wagtailsnippets_guard_blockedsender:add")
    with changes() as seen:
        response = admin_client.post(
            url, {"kind": "email", "value": "spam@example.com", "action": "refuse"}
        )
    assert response.status_code == 302
    assert (seen.clears, seen.purges) == (0, [])


@pytest.mark.django_db
def test_publishing_a_letter_clears_and_purges_once(changes, letter):
    with changes() as seen:
        letter.save_revision().publish()
    assert seen.clears == 1
    assert len(seen.purges) == 1


@pytest.mark.django_db
def test_moving_a_letter_clears_and_purges_once(changes, letter, guide_index):
    old_address = letter.full_url
    with changes() as seen:
        letter.move(guide_index, pos="last-child")
    assert seen.clears == 1
    assert len(seen.purges) == 1
    assert old_address in seen.purges[0]


@pytest.mark.django_db
def test_picking_and_unpicking_a_reply_clear_and_purge_once_each(changes, letter, moderator):
    reply = store_reply(letter, comment="Mine was crooked too.", status=ReplyStatus.APPROVED)
    with changes() as seen:
        assert lifecycle.pick(reply, moderator)
    assert seen.clears == 1
    assert len(seen.purges) == 1
    assert letter.full_url in seen.purges[0]
    with changes() as seen:
        assert lifecycle.unpick(reply, moderator)
    assert seen.clears == 1
    assert len(seen.purges) == 1
    # A picked reply sent back to the queue: the pick goes in the same change, one clear.
    lifecycle.pick(reply, moderator)
    with changes() as seen:
        lifecycle.moderate(reply, "requeue", moderator)
    assert (seen.clears, len(seen.purges)) == (1, 1)
    # Refused (not approved now): nothing changes, nothing is cleared.
    with changes() as seen:
        assert not lifecycle.pick(reply, moderator)
    assert (seen.clears, seen.purges) == (0, [])
