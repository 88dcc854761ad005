"""A published letter as readers see it, its related reading, and guides citing letters."""

import datetime

import pytest
from bs4 import BeautifulSoup

from advice.models import LetterRelatedLink, Topic, letters
from testing.pages import answer


def get_soup(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def related_links(soup):
    """The editors' picks: (title, address) of each."""
    heading = soup.find(id="related-heading")
    if heading is None:
        return []
    return [(a.get_text(), a["href"]) for a in heading.find_parent("section").select("li a")]


def more_on_topic(soup):
    """The automatic suggestions: (title, address) of each letter sharing a topic."""
    heading = soup.find(id="more-heading")
    if heading is None:
        return []
    return [(a.get_text(), a["href"]) for a in heading.find_parent("section").select("li a")]


def text_of(soup, css_class):
    return soup.find(class_=css_class).get_text(" ", strip=True)


@pytest.fixture
def letter(make_letter):
    return make_letter(
        "What happens if I reject my special order?",
        letter="<p>I ordered a bag eighteen months ago and <i>no longer</i> want it.</p>",
        pen_name="Second Guesser",
        answer=answer(
            "You can say no.",
            "But your sales associate will remember.",
            quote="An offer book has a long memory.",
        ),
        sign_off="Good luck, and keep us posted.",
    )


@pytest.mark.django_db
def test_the_only_h1_is_the_readers_question(client, letter):
    soup = get_soup(client, letter.url)
    assert [h1.get_text(strip=True) for h1 in soup.find_all("h1")] == [
        "What happens if I reject my special order?"
    ]


@pytest.mark.django_db
def test_the_letter_is_shown_as_sent_and_signed_with_the_pen_name(client, letter):
    soup = get_soup(client, letter.url)
    assert text_of(soup, "letter__greeting") == "Dear PurseBop,"
    letter_text = soup.find(class_="letter__text")
    assert "I ordered a bag eighteen months ago" in letter_text.get_text()
    assert letter_text.find("i").get_text() == "no longer"
    assert text_of(soup, "letter__signature") == "— Second Guesser"


@pytest.mark.django_db
def test_the_answer_opens_with_dear_pen_name(client, letter):
    soup = get_soup(client, letter.url)
    assert text_of(soup, "letter__salutation") == "Dear Second Guesser:"


@pytest.mark.django_db
def test_an_editor_can_shorten_the_salutation(client, make_letter):
    letter = make_letter(pen_name="Worried in Wichita About Her Birkin", salutation="Dear Worried:")
    soup = get_soup(client, letter.url)
    assert text_of(soup, "letter__salutation") == "Dear Worried:"
    assert text_of(soup, "letter__signature") == "— Worried in Wichita About Her Birkin"


@pytest.mark.django_db
def test_a_letter_without_a_pen_name_opens_with_the_columns_default_salutation(
    client, column, make_letter
):
    column.default_salutation = "Dear reader,"
    column.save_revision().publish()
    letter = make_letter(pen_name="")
    soup = get_soup(client, letter.url)
    assert text_of(soup, "letter__salutation") == "Dear reader,"
    assert "Letter text number" in text_of(soup, "letter__text")
    assert soup.find(class_="letter__signature") is None
    assert "— " not in text_of(soup, "letter__letter")


@pytest.mark.django_db
def test_a_letter_without_a_pen_name_or_a_default_salutation_opens_with_none(client, make_letter):
    letter = make_letter(pen_name="")
    soup = get_soup(client, letter.url)
    assert soup.find(class_="letter__salutation") is None
    assert "Dear :" not in soup.get_text()
    assert soup.find(class_="letter__signature") is None
    assert text_of(soup, "prose").startswith("Answer text number")


@pytest.mark.django_db
def test_a_letter_without_a_pen_name_is_listed_without_an_empty_from(client, column, make_letter):
    make_letter("Unsigned question?", pen_name="")
    html = client.get(column.url).content.decode()
    assert "Unsigned question?" in html
    assert "From “”" not in html


@pytest.mark.django_db
def test_a_post_with_no_letter_shows_no_letter_section(client, column, make_letter):
    column.default_salutation = "Dear reader,"
    column.save_revision().publish()
    letter = make_letter(letter="", pen_name="")
    soup = get_soup(client, letter.url)
    assert soup.find(class_="letter__letter") is None
    assert soup.find(class_="letter__greeting") is None
    assert text_of(soup, "letter__salutation") == "Dear reader,"


@pytest.mark.django_db
def test_the_answer_paragraphs_pull_quote_sign_off_and_columnist(client, letter):
    soup = get_soup(client, letter.url)
    answer_section = soup.find("section", class_="letter__answer")
    paragraphs = [p.get_text() for p in answer_section.select(".prose > p")]
    assert paragraphs == ["You can say no.", "But your sales associate will remember."]
    quote = answer_section.select_one(".pull-quote blockquote")
    assert quote.get_text(strip=True) == "An offer book has a long memory."
    assert text_of(soup, "letter__signoff") == "Good luck, and keep us posted."
    assert text_of(soup, "letter__columnist") == "Avery Stone, Columnist"
    byline = soup.find(class_="byline")
    assert byline.find("a")["href"] == "/dear-pursebop/columnist/avery-stone/"


@pytest.mark.django_db
def test_related_reading_follows_the_editors_order_and_every_link_works(
    client, make_letter, make_guide
):
    guide_a = make_guide("Insider's guide to special orders", "special-orders-guide")
    earlier = make_letter("Is a quota bag worth it?")
    guide_b = make_guide("How to talk to your sales associate", "sales-associate-guide")
    letter = make_letter("Can I change my mind?")
    # Stored in another order than the editors chose: sort_order decides.
    for target, order, label in [
        (guide_a, 2, ""),
        (earlier, 1, ""),
        (guide_b, 0, "Talking to your SA"),
    ]:
        LetterRelatedLink.objects.create(
            letter=letter, link_page=target, sort_order=order, label=label
        )

    soup = get_soup(client, letter.url)
    links = related_links(soup)

    assert soup.find(id="related-heading").get_text() == "Related reading"
    assert links == [
        ("Talking to your SA", "/guides/sales-associate-guide/"),
        ("Is a quota bag worth it?", earlier.url),
        ("Insider's guide to special orders", "/guides/special-orders-guide/"),
    ]
    for _title, href in links:
        assert client.get(href).status_code == 200


@pytest.mark.django_db
def test_external_related_links_are_shown_with_their_label(client, make_letter, make_guide):
    guide = make_guide("Insider's guide", "insider-guide")
    letter = make_letter(related=[guide])
    LetterRelatedLink.objects.create(
        letter=letter,
        external_url="https://example.org/care",
        label="The maker's care notes",
        sort_order=5,
    )
    soup = get_soup(client, letter.url)
    assert related_links(soup) == [
        ("Insider's guide", "/guides/insider-guide/"),
        ("The maker's care notes", "https://example.org/care"),
    ]
    assert soup.find("a", href="https://example.org/care")["rel"] == ["noopener"]


@pytest.mark.django_db
def test_without_picks_letters_sharing_topics_are_suggested_most_shared_first(client, make_letter):
    fees = Topic.objects.create(name="Fees", slug="fees")
    quotas = Topic.objects.create(name="Quotas", slug="quotas")
    care = Topic.objects.create(name="Care", slug="care")
    both = make_letter("Shares two topics, older?", topics=[fees, quotas])
    one = make_letter("Shares one topic, newer?", topics=[quotas])
    make_letter("Shares nothing?", topics=[care])
    make_letter("Has no topic at all?")
    letter = make_letter("The letter itself?", topics=[fees, quotas])
    assert both.date < one.date  # without the topic count, date order would swap them

    soup = get_soup(client, letter.url)

    assert soup.find(id="related-heading") is None
    assert soup.find(id="more-heading").get_text() == "More on this topic"
    assert more_on_topic(soup) == [
        ("Shares two topics, older?", both.url),
        ("Shares one topic, newer?", one.url),
    ]


@pytest.mark.django_db
def test_suggestions_are_limited_to_three_newest_among_equals(client, make_letter, topic):
    older = [make_letter(f"Older {n}?", topics=[topic]) for n in range(3)]
    newer = [make_letter(f"Newer {n}?", topics=[topic]) for n in range(3)]
    letter = make_letter("The letter itself?", topics=[topic])
    titles = [title for title, _href in more_on_topic(get_soup(client, letter.url))]
    assert titles == [page.title for page in reversed(newer)]
    assert not set(titles) & {page.title for page in older}


@pytest.mark.django_db
def test_a_letter_without_topics_or_picks_has_no_related_section(client, make_letter):
    make_letter("Another letter?")
    letter = make_letter("Lonely letter?")
    soup = get_soup(client, letter.url)
    assert soup.find("section", class_="related") is None


@pytest.mark.django_db
def test_unpublished_suggestions_are_not_offered(client, make_letter, topic):
    withdrawn = make_letter("Withdrawn?", topics=[topic])
    withdrawn.unpublish()
    letter = make_letter("The letter itself?", topics=[topic])
    assert more_on_topic(get_soup(client, letter.url)) == []


@pytest.mark.django_db
def test_an_unpublished_related_page_is_not_linked(client, make_letter, make_guide):
    draft_guide = make_guide("Not ready yet", "not-ready")
    draft_guide.unpublish()
    draft_letter = make_letter("Withdrawn question?")
    draft_letter.unpublish()
    live_guide = make_guide("Ready guide", "ready")
    letter = make_letter(related=[draft_guide, draft_letter, live_guide])

    soup = get_soup(client, letter.url)

    assert related_links(soup) == [("Ready guide", "/guides/ready/")]
    assert "Not ready yet" not in str(soup)
    assert "Withdrawn question?" not in str(soup)


@pytest.mark.django_db
def test_a_guide_lists_the_published_letters_that_point_to_it(client, make_letter, make_guide):
    guide = make_guide("Insider's guide to special orders", "special-orders-guide")
    older = make_letter("Older question?", related=[guide])
    newer = make_letter("Newer question?", related=[guide], pen_name="Second Guesser")
    make_letter("Unrelated question?")
    withdrawn = make_letter("Withdrawn question?", related=[guide])
    withdrawn.unpublish()

    soup = get_soup(client, guide.url)

    section = soup.find("section", class_="related")
    assert section.find("h2").get_text() == "Letters about this guide"
    assert [(a.get_text(), a["href"]) for a in section.find_all("a")] == [
        ("Newer question?", newer.url),
        ("Older question?", older.url),
    ]
    assert "From “Second Guesser”" in section.get_text()


@pytest.mark.django_db
def test_a_guide_nobody_cites_has_no_letters_section(client, make_guide):
    guide = make_guide("Lonely guide", "lonely")
    soup = get_soup(client, guide.url)
    assert soup.find("section", class_="related") is None
    assert [h1.get_text() for h1 in soup.find_all("h1")] == ["Lonely guide"]


@pytest.mark.django_db
def test_get_absolute_url_is_the_page_url(client, letter):
    assert letter.get_absolute_url() == letter.url == "/dear-pursebop/question-1/"
    assert client.get(letter.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_replies_can_be_closed(client, make_letter):
    letter = make_letter(allow_replies=False)
    soup = get_soup(client, letter.url)
    assert "Replies are turned off for this letter." in soup.find(id="replies").get_text()


@pytest.mark.django_db
def test_related_reading_says_what_each_item_is_with_its_summary(client, make_letter, make_guide):
    guide = make_guide("Insider's guide", "insider-guide", dek="How special orders work.")
    earlier = make_letter("Is a quota bag worth it?", dek="A reader weighs a quota bag.")
    letter = make_letter(related=[guide, earlier])
    LetterRelatedLink.objects.create(
        letter=letter, external_url="https://example.org/", label="Care notes", sort_order=9
    )
    section = get_soup(client, letter.url).find(id="related-heading").find_parent("section")
    items = [li.get_text(" ", strip=True) for li in section.select("li")]
    assert items == [
        "Guide Insider's guide How special orders work.",
        "Letter Is a quota bag worth it? A reader weighs a quota bag.",
        "Elsewhere Care notes",
    ]


@pytest.mark.django_db
def test_more_on_this_topic_beside_the_editors_picks_and_the_topic_archive(
    client, make_letter, topic
):
    picked = make_letter("Picked by the editor?", topics=[topic])
    other = make_letter("Also about special orders?", topics=[topic])
    letter = make_letter(related=[picked], topics=[topic])
    soup = get_soup(client, letter.url)
    assert related_links(soup) == [("Picked by the editor?", picked.url)]
    assert more_on_topic(soup) == [("Also about special orders?", other.url)]
    archive = soup.select_one(".related__topics a")
    assert archive.get_text() == "All letters about special orders"
    assert archive["href"] == "/dear-pursebop/topic/special-orders/"


@pytest.mark.django_db
def test_previous_and_next_letter_by_date(client, make_letter):
    first = make_letter("First?")
    middle = make_letter("Middle?")
    last = make_letter("Last?")
    withdrawn = make_letter("Withdrawn after the last?")
    withdrawn.unpublish()

    def neighbours(letter):
        soup = get_soup(client, letter.url)
        return [(a["rel"][0], a["href"]) for a in soup.select(".letter-nav a")]

    assert neighbours(middle) == [("prev", first.url), ("next", last.url)]
    assert neighbours(first) == [("next", middle.url)]
    assert neighbours(last) == [("prev", middle.url)]


@pytest.mark.django_db
def test_letters_of_one_day_follow_each_other_by_their_order_of_creation(client, make_letter):
    day = datetime.date(2025, 9, 1)
    before = make_letter("The day before?", date=day - datetime.timedelta(days=1))
    same = [make_letter(f"Same day {n}?", date=day) for n in range(3)]
    after = make_letter("The day after?", date=day + datetime.timedelta(days=1))

    def neighbours(letter):
        soup = get_soup(client, letter.url)
        return [(a["rel"][0], a["href"]) for a in soup.select(".letter-nav a")]

    assert neighbours(same[0]) == [("prev", before.url), ("next", same[1].url)]
    assert neighbours(same[1]) == [("prev", same[0].url), ("next", same[2].url)]
    assert neighbours(same[2]) == [("prev", same[1].url), ("next", after.url)]


@pytest.mark.django_db
def test_suggestions_are_ranked_among_the_newest_letters_on_the_topics(
    client, make_letter, monkeypatch, page_cache_off
):
    fees = Topic.objects.create(name="Fees", slug="fees")
    quotas = Topic.objects.create(name="Quotas", slug="quotas")
    old_match = make_letter("Shares both topics, oldest?", topics=[fees, quotas])
    newer = [make_letter(f"Shares quotas {n}?", topics=[quotas]) for n in range(3)]
    letter = make_letter("The letter itself?", topics=[fees, quotas])
    newest_first = [(page.title, page.url) for page in reversed(newer)]

    monkeypatch.setattr(letters, "SUGGESTION_CANDIDATES", 4)
    assert more_on_topic(get_soup(client, letter.url)) == [
        (old_match.title, old_match.url),
        *newest_first[:2],
    ]
    # Beyond the newest candidates, sharing more topics no longer brings a letter back.
    monkeypatch.setattr(letters, "SUGGESTION_CANDIDATES", 3)
    assert more_on_topic(get_soup(client, letter.url)) == newest_first
