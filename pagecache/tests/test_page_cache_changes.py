"""Kept pages are dropped exactly when what readers see changes: a page published, unpublished,
moved or deleted, the navigation, a reply's status (through its lifecycle), topics,
columnists and settings; a page rendered before a change is not kept under the new version."""

import pytest
from django.test import Client
from wagtail.models import Site

from advice.models import GuideIndexPage
from comments import lifecycle
from comments.models import Reply, ReplyPolicy
from pagecache import store
from pagecache.tests.kept_pages import kept, rendered
from testing.pages import publish_child
from testing.replies import post_reply, posted_reply, store_reply

# --- Invalidation: exactly when what readers see changes ----------------------------------


@pytest.mark.django_db
def test_publishing_a_page_renders_pages_again(client, letter, column):
    kept(client, letter.url)
    kept(client, column.url)
    letter.title = "Should I keep a bag with a bent strap?"
    letter.save_revision().publish()
    assert b"bent strap" in rendered(client, letter.url).content
    assert b"bent strap" in rendered(client, column.url).content


@pytest.mark.django_db
def test_a_draft_changes_nothing(client, letter):
    kept(client, letter.url)
    letter.title = "A draft title?"
    letter.save_revision()
    assert b"A draft title" not in kept(client, letter.url).content


@pytest.mark.django_db
def test_unpublishing_moving_and_deleting_render_pages_again(
    client, make_letter, column, home_page
):
    letter = make_letter("A letter to unpublish?")
    other = make_letter("A letter to move?")
    kept(client, column.url)
    letter.unpublish()
    assert b"A letter to unpublish" not in rendered(client, column.url).content

    kept(client, column.url)
    other.move(home_page, pos="last-child")
    assert b"A letter to move" not in rendered(client, column.url).content

    kept(client, "/")
    other.refresh_from_db()
    other.delete()
    rendered(client, "/")


@pytest.mark.django_db
def test_a_letter_citing_a_guide_renders_the_guide_again(client, make_letter, make_guide):
    """Cross-links: the guide lists the letters that point to it."""
    guide = make_guide("Insider's guide to special orders", "special-orders")
    kept(client, guide.url)
    make_letter("Should I place a special order?", related=[guide])
    assert b"Should I place a special order?" in rendered(client, guide.url).content


@pytest.mark.django_db
def test_the_navigation_changing_renders_pages_again(client, letter, home_page):
    kept(client, letter.url)
    publish_child(home_page, GuideIndexPage(title="Guides", slug="guides", show_in_menus=True))
    assert b'href="/guides/"' in rendered(client, letter.url).content

    site = Site.objects.get(is_default_site=True)
    kept(client, letter.url)
    site.site_name = "Purse Talk"
    site.save()
    assert b"Purse Talk" in rendered(client, letter.url).content


@pytest.mark.django_db
def test_a_held_reply_changes_nothing_and_its_approval_renders_again(client, letter, moderator):
    kept(client, letter.url)
    reply = posted_reply(post_reply(Client(), letter, comment="Mine was crooked too."))
    assert reply.is_held
    assert b"Mine was crooked too." not in kept(client, letter.url).content

    lifecycle.moderate(reply, "approve", moderator)
    assert b"Mine was crooked too." in rendered(client, letter.url).content

    kept(client, letter.url)
    lifecycle.moderate(Reply.objects.get(pk=reply.pk), "reject", moderator, "Off topic")
    assert b"Mine was crooked too." not in rendered(client, letter.url).content


@pytest.mark.django_db
def test_every_change_of_a_reply_status_renders_again(client, letter, moderator):
    """Through comments.lifecycle's signal (comments knows nothing of the cache)."""
    reply = store_reply(letter, comment="Held for now.")
    kept(client, letter.url)
    lifecycle.moderate(reply, "spam", moderator)
    rendered(client, letter.url)

    shown = store_reply(letter, comment="Kind words.", user_email="kind@example.com")
    kept(client, letter.url)
    lifecycle.moderate(shown, "approve", moderator)
    assert b"Kind words." in rendered(client, letter.url).content
    kept(client, letter.url)
    lifecycle.erase(shown.user_email, moderator)
    rendered(client, letter.url)


@pytest.mark.django_db
def test_topics_columnists_and_settings_render_pages_again(
    client, make_letter, topic, columnist, home_page
):
    letter = make_letter("A letter with a topic?", topics=[topic])
    kept(client, letter.url)
    topic.name = "Custom orders"
    topic.save()
    assert b"Custom orders" in rendered(client, letter.url).content

    kept(client, letter.url)
    columnist.name = "Avery Stone-Hale"
    columnist.save()
    assert b"Avery Stone-Hale" in rendered(client, letter.url).content

    kept(client, letter.url)
    policy = ReplyPolicy.for_site(home_page.get_site())
    policy.guidelines = "<p>Be kind to one another.</p>"
    policy.save()
    assert b"Be kind to one another." in rendered(client, letter.url).content


@pytest.mark.django_db
def test_a_page_rendered_before_a_change_is_not_kept_under_the_new_version(client, letter):
    """The version is read before rendering: a page rendered from data the change made stale
    carries the old version, and is never served after the change."""
    key_version = store.fetch("pagecache:page:none")[0]
    kept(client, letter.url)
    store.invalidate()
    assert store.fetch("pagecache:page:none")[0] != key_version
    rendered(client, letter.url)
