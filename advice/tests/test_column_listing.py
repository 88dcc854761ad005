"""The column's archive: order, pagination, topic/month/columnist listings and old addresses."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from advice.models import Columnist, Topic
from testing.pages import delete_image_files, listed, make_image

COLUMN = "/dear-pursebop/"


def heading(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return soup.find("h1").get_text()


@pytest.mark.django_db
def test_newest_letter_first_by_its_date_not_by_when_it_was_created(client, make_letter):
    make_letter("Middle?", date=datetime.date(2025, 6, 1))
    make_letter("Newest?", date=datetime.date(2026, 2, 1))
    make_letter("Oldest?", date=datetime.date(2024, 1, 1))
    assert listed(client, COLUMN) == ["Newest?", "Middle?", "Oldest?"]


@pytest.mark.django_db
def test_unpublished_letters_are_not_listed(client, make_letter):
    make_letter("Live?")
    make_letter("Withdrawn?").unpublish()
    assert listed(client, COLUMN) == ["Live?"]
    assert "1 letter ·" in client.get(COLUMN).content.decode()


@pytest.mark.django_db
def test_a_topic_lists_only_its_own_letters(client, make_letter, topic):
    quotas = Topic.objects.create(name="Quotas", slug="quotas")
    make_letter("About special orders?", topics=[topic])
    make_letter("About quotas?", topics=[quotas])
    make_letter("About both?", topics=[topic, quotas])
    make_letter("About nothing?")

    url = COLUMN + "topic/special-orders/"
    assert listed(client, url) == ["About both?", "About special orders?"]
    assert heading(client, url) == "Special orders"
    assert "Ordering a bag made for you." in client.get(url).content.decode()


@pytest.mark.django_db
def test_an_unknown_topic_is_not_found(client, make_letter):
    make_letter()
    assert client.get(COLUMN + "topic/no-such-topic/").status_code == 404


@pytest.mark.django_db
def test_the_sidebar_offers_only_topics_with_published_letters(client, make_letter, topic):
    empty = Topic.objects.create(name="Empty topic", slug="empty")
    withdrawn_only = Topic.objects.create(name="Withdrawn topic", slug="withdrawn")
    make_letter(topics=[topic])
    make_letter(topics=[withdrawn_only]).unpublish()
    soup = BeautifulSoup(client.get(COLUMN).content, "html.parser")
    links = [(a.get_text(), a["href"]) for a in soup.select(".topic-list a")]
    assert links == [("Special orders", COLUMN + "topic/special-orders/")]
    assert empty.name not in str(soup)


@pytest.mark.django_db
def test_columnist_archive(client, make_letter, columnist):
    other = Columnist.objects.create(name="Jo Park", slug="jo-park")
    make_letter("Answered by Avery?")
    make_letter("Answered by Jo?", columnist=other)

    assert listed(client, COLUMN + "columnist/avery-stone/") == ["Answered by Avery?"]
    assert listed(client, COLUMN + "columnist/jo-park/") == ["Answered by Jo?"]
    assert heading(client, COLUMN + "columnist/jo-park/") == "Jo Park"
    assert client.get(COLUMN + "columnist/nobody/").status_code == 404


@pytest.mark.django_db
def test_a_columnists_page_shows_their_portrait_role_and_bio(client, make_letter):
    portrait = make_image("Jo's portrait")
    portrait.description = "Drawing of Jo Park"
    portrait.save()
    jo = Columnist.objects.create(
        name="Jo Park",
        slug="jo-park",
        role="Leather restorer",
        bio="<p>Jo has mended <b>thousands</b> of bags.</p>",
        portrait=portrait,
    )
    make_letter("Answered by Jo?", columnist=jo)
    try:
        response = client.get(COLUMN + "columnist/jo-park/")
        soup = BeautifulSoup(response.content, "html.parser")
        profile = soup.select_one(".columnist-profile")
        assert profile is not None
        assert profile.find("h1").get_text() == "Jo Park"
        assert "Leather restorer" in profile.get_text()
        assert profile.select_one(".columnist-profile__bio b").get_text() == "thousands"
        image = profile.select_one("img")
        assert image["alt"] == "Drawing of Jo Park"
        assert soup.title.get_text().startswith("Jo Park · ")
        assert [a.get_text() for a in soup.select(".card__title a")] == ["Answered by Jo?"]
        assert soup.select_one("h2#columnist-letters").get_text() == "Letters answered by Jo Park"
        # The letter's byline leads to the page.
        letter = BeautifulSoup(client.get(COLUMN + "question-1/").content, "html.parser")
        assert letter.select_one(".byline a")["href"] == COLUMN + "columnist/jo-park/"
    finally:
        delete_image_files([portrait])


@pytest.mark.django_db
def test_renaming_a_topic_slug_redirects_its_old_archive(client, make_letter, topic):
    make_letter("About special orders?", topics=[topic])
    topic.slug = "made-to-order"
    topic.save()

    response = client.get(COLUMN + "topic/special-orders/")
    assert response.status_code == 301
    assert response["Location"] == COLUMN + "topic/made-to-order/"
    assert listed(client, response["Location"]) == ["About special orders?"]


@pytest.mark.django_db
def test_renaming_a_topic_twice_redirects_the_first_address_straight_to_the_latest(
    client, make_letter, topic
):
    make_letter(topics=[topic])
    for slug in ("made-to-order", "bespoke"):
        topic.slug = slug
        topic.save()

    for old in ("special-orders", "made-to-order"):
        response = client.get(f"{COLUMN}topic/{old}/")
        assert response.status_code == 301
        assert response["Location"] == COLUMN + "topic/bespoke/"


@pytest.mark.django_db
def test_renaming_a_topic_back_makes_its_first_address_live_again(client, make_letter, topic):
    make_letter("About special orders?", topics=[topic])
    for slug in ("made-to-order", "special-orders"):
        topic.slug = slug
        topic.save()

    assert listed(client, COLUMN + "topic/special-orders/") == ["About special orders?"]
    response = client.get(COLUMN + "topic/made-to-order/")
    assert response.status_code == 301
    assert response["Location"] == COLUMN + "topic/special-orders/"


@pytest.mark.django_db
def test_saving_a_topic_without_changing_its_slug_makes_no_redirect(client, make_letter, topic):
    from wagtail.contrib.redirects.models import Redirect

    make_letter(topics=[topic])
    topic.description = "New words."
    topic.save()
    assert not Redirect.objects.exists()


@pytest.mark.django_db
def test_renaming_a_columnist_slug_redirects_the_old_archive(client, make_letter, columnist):
    make_letter("Answered by Avery?")
    columnist.slug = "avery-s"
    columnist.save()

    response = client.get(COLUMN + "columnist/avery-stone/")
    assert response.status_code == 301
    assert response["Location"] == COLUMN + "columnist/avery-s/"
    assert listed(client, response["Location"]) == ["Answered by Avery?"]


@pytest.mark.django_db
def test_changing_a_letters_slug_leaves_a_redirect(
    client, make_letter, django_capture_on_commit_callbacks
):
    """Wagtail creates the redirect once the slug change is committed."""
    letter = make_letter("Can I change my mind?", slug="change-my-mind")
    letter.slug = "changing-my-mind"
    with django_capture_on_commit_callbacks(execute=True):
        letter.save_revision().publish()

    response = client.get(COLUMN + "change-my-mind/")
    assert response.status_code == 301
    assert response["Location"] == COLUMN + "changing-my-mind/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_browser_titles_name_the_site_once(client, column, topic, make_letter):
    make_letter(topics=[topic])
    titles = {
        "/": "Home · Dear PurseBop",  # told apart from the column named like the site
        "/dear-pursebop/": "Dear PurseBop",
        "/dear-pursebop/topic/special-orders/": "Special orders · Dear PurseBop",
        "/search/": "Search · Dear PurseBop",
    }
    for url, title in titles.items():
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert soup.title.string == title, url


@pytest.mark.django_db
def test_a_column_refuses_zero_letters_per_page(column):
    column.letters_per_page = 0
    with pytest.raises(ValidationError) as refused:
        column.full_clean()
    assert "letters_per_page" in refused.value.message_dict


@pytest.mark.django_db
def test_a_stored_zero_letters_per_page_lists_one_a_page_rather_than_failing(
    client, column, make_letter, topic
):
    """A zero stored before the validator existed (the paginator divides by it)."""
    make_letter("Older?", topics=[topic])
    make_letter("Newer?", topics=[topic])
    type(column).objects.filter(pk=column.pk).update(letters_per_page=0)
    assert listed(client, COLUMN) == ["Newer?"]
    assert listed(client, COLUMN + "?page=2") == ["Older?"]
    assert listed(client, COLUMN + "topic/special-orders/") == ["Newer?"]
    assert listed(client, COLUMN + "2026/") == ["Newer?"]
