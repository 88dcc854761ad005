"""Listing and page views run a fixed number of SQL queries however much content they show.

Every letter gets its own hero image and two topics, so a query per card, image, rendition,
topic or link would show up as a difference between the small and the large case. Counts are
taken cold: on a second request (its renditions made, as on a live site) with every Django
cache cleared before it (testing.queries), as the first reader after a cache flush meets it.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.utils import timezone

from advice.models import AdviceIndexPage, HomePageFeaturedGuide, LetterRelatedLink, Topic
from comments.models import Reply, ReplyStatus
from testing.pages import delete_image_files, make_image, publish_child
from testing.queries import cold_queries
from testing.replies import store_reply

# What rendering costs: the page cache would answer the second view without rendering.
pytestmark = pytest.mark.usefixtures("page_cache_off")


def count_queries(client, url):
    queries, response = cold_queries(client, url)
    return len(queries), BeautifulSoup(response.content, "html.parser")


# Budgets as well as constants, cold. A change that adds a query to one of these pages fails
# here, whether or not the count still stays flat. A letter page's budget holds its replies,
# related reading, more on its topics and the letters either side.
CEILINGS = {
    "column index": 10,
    "topic": 10,
    "letter": 12,
    "home page": 10,
    "guide": 10,
    "search": 10,
}


def expect_constant(label, counts, ceiling):
    assert len(set(counts)) == 1, f"{label}: {counts} queries"
    assert counts[0] <= CEILINGS[ceiling], f"{label}: {counts[0]} queries, ceiling {ceiling}"


@pytest.fixture
def topics(db):
    return [Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}") for n in range(8)]


@pytest.fixture
def add_letters(make_letter, topics):
    made = []

    def add(count):
        for _ in range(count):
            n = len(made)
            made.append(
                make_letter(
                    hero_image=make_image(f"Bag {n}", colour=(n % 256, 80, 120)),
                    topics=[topics[n % 8], topics[(n + 3) % 8]],
                )
            )
        return made[-count:]

    yield add
    delete_image_files(letter.hero_image for letter in made)


@pytest.fixture
def pictures(db):
    """pictures(n): n new images, their files removed after the test."""
    made = []

    def make(count):
        made.extend(make_image(f"Picture {len(made) + n}") for n in range(count))
        return made[-count:]

    yield make
    delete_image_files(made)


@pytest.mark.django_db
def test_column_index_queries_do_not_grow_with_the_letters_shown(client, column, add_letters):
    column.letters_per_page = 100  # every letter on one page, so each card is rendered
    column.save_revision().publish()

    add_letters(10)
    few, soup = count_queries(client, column.url)
    assert len(soup.select(".card")) == 10
    assert len(soup.select("img.card__image")) == 10
    assert len(soup.select(".card .tags li")) == 20

    add_letters(90)
    many, soup = count_queries(client, column.url)
    assert len(soup.select(".card")) == 100
    assert len(soup.select("img.card__image")) == 100
    assert len(soup.select(".card .tags li")) == 200

    expect_constant("column index, 10 and 100 letters", (few, many), "column index")


@pytest.mark.django_db
def test_column_index_pages_cost_the_same(client, column, add_letters):
    add_letters(12)
    first, soup = count_queries(client, column.url)
    assert len(soup.select(".card")) == 10
    add_letters(30)
    again, _soup = count_queries(client, column.url)
    last_page, soup = count_queries(client, column.url + "?page=5")
    assert len(soup.select(".card")) == 2
    expect_constant(
        "column index, 10 a page: 12 letters, 42 letters, page 5 of 42",
        (first, again, last_page),
        "column index",
    )


@pytest.mark.django_db
def test_letter_page_queries_do_not_grow_with_related_links_or_topics(
    client, make_letter, make_guide, topics
):
    guides = [make_guide(f"Guide {n}", f"guide-{n}") for n in range(5)]
    earlier = [make_letter(f"Earlier {n}?") for n in range(5)]

    small = make_letter("Few links?", topics=topics[:1], related=[guides[0], earlier[0]])
    large = make_letter(
        "Many links?",
        topics=topics[:6],
        related=[*guides, *earlier],
    )
    LetterRelatedLink.objects.create(
        letter=large, external_url="https://example.org/", label="Elsewhere", sort_order=20
    )

    few, soup = count_queries(client, small.url)
    assert len(soup.select("#related-heading + ul a")) == 2
    many, soup = count_queries(client, large.url)
    assert len(soup.select("#related-heading + ul a")) == 11
    assert len(soup.select("#more-heading + ul a")) == 1  # the only other letter with a topic
    assert len(soup.select(".kicker a")) == 7  # the column and six topics

    expect_constant("letter, 2 related links and 1 topic / 11 and 6", (few, many), "letter")


@pytest.mark.django_db
def test_letter_page_queries_do_not_grow_with_automatic_suggestions(client, make_letter, topics):
    lonely_topic, shared_topic = topics[0], topics[1]
    make_letter("The only other one?", topics=[lonely_topic])
    one = make_letter("One suggestion?", topics=[lonely_topic])
    for n in range(4):
        make_letter(f"Shared {n}?", topics=[shared_topic])
    three = make_letter("Three suggestions?", topics=[shared_topic])

    few, soup = count_queries(client, one.url)
    assert len(soup.select(".more-on-topic li a")) == 1
    many, soup = count_queries(client, three.url)
    assert len(soup.select(".more-on-topic li a")) == 3

    expect_constant("letter, 1 suggestion / 3", (few, many), "letter")


@pytest.mark.django_db
def test_home_page_queries_do_not_grow_with_content(
    client, home_page, make_guide, add_letters, topics
):
    guides = [make_guide(f"Guide {n}", f"guide-{n}") for n in range(4)]
    HomePageFeaturedGuide.objects.create(home=home_page, guide=guides[0], sort_order=0)
    add_letters(2)
    few, soup = count_queries(client, "/")
    assert len(soup.select(".home-latest .card")) == 2
    assert len(soup.select("#guides-title + ul a")) == 1

    for order, guide in enumerate(guides[1:], start=1):
        HomePageFeaturedGuide.objects.create(home=home_page, guide=guide, sort_order=order)
    add_letters(10)
    many, soup = count_queries(client, "/")
    assert len(soup.select(".home-latest .card")) == 6
    assert len(soup.select(".home-latest img.card__image")) == 6
    assert len(soup.select("#guides-title + ul a")) == 4
    assert len(soup.select("#topics-title + ul a")) == 8

    expect_constant("home page, 2 and 12 letters", (few, many), "home page")


@pytest.mark.django_db
def test_home_page_queries_do_not_grow_with_columns(client, home_page, add_letters, topics):
    """Each column's topics come from one query, and each card's column from the tree path."""
    add_letters(2)
    one, soup = count_queries(client, "/")
    assert soup.select(".home-latest .card__kicker") == []

    for n in (2, 3):
        column = publish_child(home_page, AdviceIndexPage(title=f"Column {n}", slug=f"col-{n}"))
        for letter in add_letters(2):
            letter.move(column, pos="last-child")
    three, soup = count_queries(client, "/")
    assert len(soup.select(".home-latest .card__kicker")) == 6
    assert len(soup.select("#topics-title ~ h3")) == 3
    assert len(soup.select("#topics-title ~ .topic-list a")) == 12

    expect_constant("home page, one column and three", (one, three), "home page")


@pytest.mark.django_db
def test_topic_pages_cost_the_same_whatever_the_page(client, column, add_letters, topics):
    add_letters(40)  # five letters a topic
    column.letters_per_page = 2
    column.save_revision().publish()
    url = column.url + f"topic/{topics[1].slug}/"
    first, soup = count_queries(client, url)
    assert len(soup.select(".card")) == 2
    middle, _soup = count_queries(client, url + "?page=2")
    last, soup = count_queries(client, url + "?page=5")
    assert len(soup.select(".card")) == 2
    titles_of_page_5 = [a.get_text() for a in soup.select(".card__title a")]
    past_the_end, soup = count_queries(client, url + "?page=99")
    assert soup.select_one(".pagination__status").get_text() == "Page 5 of 5"
    expect_constant("topic, pages 1, 2 and 5 of 5", (first, middle, last), "topic")
    assert [a.get_text() for a in soup.select(".card__title a")] == titles_of_page_5
    # Past the end (a stale link), the empty page is noticed and the last one read backwards.
    assert past_the_end <= first + 1


@pytest.mark.django_db
def test_search_queries_do_not_grow_with_the_letters_found(client, make_letter):
    """The search page finds its site as a page does (advice.sites.find_site): one query."""
    for n in range(3):
        make_letter(title=f"Saddle soap and leather {n}")
    few, soup = count_queries(client, "/search/?q=leather")
    assert len(soup.select(".search-result")) == 3
    for n in range(3, 30):
        make_letter(title=f"Saddle soap and leather {n}")
    many, soup = count_queries(client, "/search/?q=leather")
    assert len(soup.select(".search-result")) > 3
    expect_constant("search, 3 and 30 letters found", (few, many), "search")


@pytest.mark.django_db
def test_the_search_page_reads_the_home_pages_children_once(client, make_letter):
    """The navigation and the feed links of base.html take the site's sections from the home
    page's children, read once by the search view as routing reads them for a page, not
    by each tag in a query of its own (on SQLite each walked the path index over every page
    of the site). They are the links the column's own page shows."""
    make_letter(title="Saddle soap and leather")
    queries, response = cold_queries(client, "/search/", q="leather")
    children = [
        query["sql"]
        for query in queries
        if 'FROM "wagtailcore_page"' in query["sql"]
        and '"wagtailcore_page"."depth" = ' in query["sql"]
    ]
    assert len(children) == 1, children
    search = BeautifulSoup(response.content, "html.parser")
    column = BeautifulSoup(client.get("/dear-pursebop/").content, "html.parser")
    for selector in (".site-nav", 'link[rel="alternate"]'):
        assert [str(tag) for tag in search.select(selector)] == [
            str(tag) for tag in column.select(selector)
        ]
    assert search.select('link[rel="alternate"]')


@pytest.mark.django_db
def test_guide_page_queries_do_not_grow_with_topics_or_citing_letters(
    client, make_guide, make_letter, topics, pictures
):
    """A guide's author, picture (its renditions), topics and the letters citing it."""
    plain = make_guide("Plain guide", "plain-guide", hero_image=pictures(1)[0], topics=topics[:1])
    cited = make_guide("Cited guide", "cited-guide", hero_image=pictures(1)[0], topics=topics[:5])
    make_letter("Citing the plain one?", related=[plain])
    for n in range(6):
        make_letter(f"Citing {n}?", related=[cited])
    few, soup = count_queries(client, plain.url)
    assert len(soup.select("#citing-heading + ul a")) == 1
    assert soup.select_one(".letter__hero img") is not None
    many, soup = count_queries(client, cited.url)
    assert len(soup.select("#citing-heading + ul a")) == 6
    assert soup.select_one('meta[property="og:image"]') is not None
    expect_constant("guide, 1 topic and 1 citing letter / 5 and 6", (few, many), "guide")


def add_replies(letter, count, users):
    """`count` approved replies in threads of one to five (each answering the thread's first),
    a third by registered users, every seventh thread's first reply picked by a moderator."""
    made, thread = [], 0
    while len(made) < count:
        first = None
        for _ in range(min(1 + thread % 5, count - len(made))):
            n = len(made)
            user = users[n % len(users)] if n % 3 == 0 else None
            reply = store_reply(
                letter,
                first,
                ReplyStatus.APPROVED,
                user=user,
                user_name=user.username if user else f"Reader {n}",
                user_email=user.email if user else f"reader{n}@example.com",
                comment=f"Reply {n}: I kept the receipt, as you said.",
                submit_date=timezone.now() - datetime.timedelta(minutes=count - n),
            )
            first = first or reply
            made.append(reply)
        if thread % 7 == 0:
            Reply.objects.filter(pk=first.pk).update(picked_at=timezone.now())
        thread += 1
    return made


@pytest.mark.django_db
def test_letter_page_queries_do_not_grow_with_replies_authors_or_picks(
    client, make_letter, make_guide, topics, pictures
):
    """A letter with a picture, related reading and topics: no reply, then 60 replies in
    threads of one to five (a third by registered users, some picked)."""
    guide = make_guide("A guide", "a-guide")
    letter = make_letter(
        "With replies?", hero_image=pictures(1)[0], topics=topics[:2], related=[guide]
    )
    make_letter("Another on the topic?", topics=topics[:1])
    users = [
        get_user_model().objects.create_user(f"reader{n}", f"member{n}@example.com")
        for n in range(5)
    ]
    none, soup = count_queries(client, letter.url)
    assert soup.select_one("#reply-count").get_text() == "No replies yet"
    assert soup.select_one(".letter__hero img") is not None
    add_replies(letter, 60, users)
    many, soup = count_queries(client, letter.url)
    assert soup.select_one("#reply-count").get_text() == "60 replies"
    assert soup.select(".reader-picks .reply-list > li")  # the picked threads
    assert len(soup.select("#related-heading + ul a")) == 1
    assert len(soup.select(".more-on-topic li a")) == 1
    expect_constant("letter with a picture, 0 and 60 replies", (none, many), "letter")


def card_replies(soup, letter):
    """The reply count on `letter`'s card ("3 replies")."""
    card = soup.find("a", string=letter.title).find_parent(class_="card")
    return card.select_one(".card__meta").get_text(" ", strip=True).split("·")[-1].strip()


@pytest.mark.django_db
def test_listing_queries_do_not_grow_with_their_letters_replies(
    client, column, home_page, add_letters, topics
):
    """A card's reply count is stored (comments.counts): the column, a topic and the home page
    read one row a letter for their cards, never a reply, whether the letters have none or a
    hundred, and whether a held reply hides answers or not."""
    busy, hidden = add_letters(2)  # the first in topics 0 and 3, the second in 1 and 4
    users = [get_user_model().objects.create_user("reader", "member@example.com")]
    listings = {
        "column index": column.url,
        "topic": column.url + f"topic/{topics[0].slug}/",
        "home page": "/",
    }
    before = {label: count_queries(client, url)[0] for label, url in listings.items()}

    add_replies(busy, 100, users)
    held = store_reply(hidden, None, ReplyStatus.PENDING, comment="Held.")
    store_reply(hidden, held, ReplyStatus.APPROVED, comment="Hidden under the held one.")
    store_reply(hidden, None, ReplyStatus.APPROVED, comment="Shown.")
    for label, url in listings.items():
        queries, response = cold_queries(client, url)
        soup = BeautifulSoup(response.content, "html.parser")
        assert card_replies(soup, busy) == "100 replies", label
        if label != "topic":
            assert card_replies(soup, hidden) == "1 reply", label
        assert not [q["sql"] for q in queries if "django_comments" in q["sql"]], label
        expect_constant(f"{label}, no replies and 103", (before[label], len(queries)), label)
