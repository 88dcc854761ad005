"""A kept page is keyed on what it rendered (pagecache.keys): its path and the parameters it
read, normalised. Parameters no page reads (`utm_*`, `fbclid`) never make a page of their
own, and only a page's canonical address is offered to a CDN."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.contrib.redirects.models import Redirect

from advice.models import LetterPage
from comments.models import ReplyPolicy, ReplyStatus
from testing.replies import store_reply

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack


@pytest.fixture
def letter(make_letter):
    return make_letter("Should I keep a bag with a crooked strap?")


@pytest.fixture
def three_pages(column, make_letter):
    """A column of five letters, two to a page."""
    column.letters_per_page = 2
    column.save()
    return [make_letter(f"Letter {n}?") for n in range(1, 6)]


def cache(response):
    return response["X-Page-Cache"]


def for_cdn(response):
    """The response may be kept by a shared cache (s-maxage), not only by the browser."""
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    if f"s-maxage={settings.PAGE_CACHE_S_MAXAGE}" in control:
        assert "public" in control and "private" not in control
        return True
    assert "private" in control and not any(part.startswith("s-maxage") for part in control)
    return False


def links(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a["href"] for a in soup.select("nav.pagination a")]


@pytest.mark.django_db
def test_parameters_no_page_reads_never_make_a_page_of_their_own(client, letter):
    first = client.get(letter.url, {"utm_source": "x1"})
    assert cache(first) == "miss" and not for_cdn(first)
    for n in range(2, 6):
        again = client.get(letter.url, {"utm_source": f"x{n}", "fbclid": f"abc{n}"})
        assert cache(again) == "hit", n  # served from the first, never rendered
        assert not for_cdn(again)
        assert again.content == first.content
    canonical = client.get(letter.url)
    assert cache(canonical) == "hit"
    assert for_cdn(canonical)
    assert b"utm_source" not in canonical.content


@pytest.mark.django_db
def test_a_page_number_is_keyed_as_the_page_it_shows(client, column, three_pages):
    first = client.get(column.url)
    assert cache(first) == "miss" and for_cdn(first)
    for number in ("abc", "1", "", "1.5"):
        same = client.get(column.url, {"page": number})
        assert cache(same) == "hit", number
        assert not for_cdn(same)
        assert same.content == first.content

    last = client.get(column.url, {"page": "99999"})
    assert cache(last) == "miss" and not for_cdn(last)  # rendered once: it shows page 3
    assert b"Page 3 of 3" in last.content
    for _ in range(2):
        assert cache(client.get(column.url, {"page": "99999"})) == "hit"
    page_three = client.get(column.url, {"page": "3"})
    assert cache(page_three) == "hit" and for_cdn(page_three)
    assert page_three.content == last.content
    assert cache(client.get(column.url, {"page": "03", "utm_medium": "email"})) == "hit"


@pytest.mark.django_db
def test_a_parameter_a_page_does_not_read_is_left_out_of_its_key(client, letter):
    kept = client.get(letter.url)
    assert cache(kept) == "miss"
    other = client.get(letter.url, {"page": "2"})  # a letter has no pages of letters
    assert cache(other) == "miss"  # looked up as `page=2`, kept under the letter's key
    assert not for_cdn(other)
    assert cache(client.get(letter.url, {"page": "2"})) == "hit"
    # The letter's own key now holds that render (two renders differ in the form's signed
    # time, so the bytes say which one is served).
    again = client.get(letter.url)
    assert cache(again) == "hit" and again.content == other.content


@pytest.mark.django_db
def test_pages_of_replies_are_keyed_by_the_page_and_order_shown(client, letter, home_page):
    policy = ReplyPolicy.for_site(home_page.get_site())
    policy.threads_per_page = 1
    policy.save()
    for n in (1, 2, 3):
        store_reply(letter, comment=f"Thread {n}.", status=ReplyStatus.APPROVED)

    canonical = client.get(letter.url, {"replies": "2", "sort": "newest"})
    assert canonical.request["QUERY_STRING"] == "replies=2&sort=newest"
    assert cache(canonical) == "miss" and for_cdn(canonical)
    assert b"Thread 2." in canonical.content
    # Its links are canonical addresses too: sorted, the first page and oldest first bare.
    assert links(canonical) == ["?sort=newest#replies", "?replies=3&sort=newest#replies"]
    unsorted = client.get(letter.url + "?sort=newest&replies=2&utm_source=x")
    assert cache(unsorted) == "hit" and not for_cdn(unsorted)

    last = client.get(letter.url, {"replies": "99"})
    assert cache(last) == "miss"
    assert b"Thread 3." in last.content
    assert cache(client.get(letter.url, {"replies": "3"})) == "hit"
    assert cache(client.get(letter.url, {"sort": "sideways"})) == "miss"  # the first page
    assert cache(client.get(letter.url)) == "hit"


@pytest.mark.django_db
def test_listing_links_hold_only_what_the_page_reads(client, column, three_pages):
    response = client.get(column.url, {"page": "2", "utm_source": "x", "fbclid": "y"})
    assert links(response) == [column.url, column.url, "?page=3", "?page=3"]


@pytest.mark.django_db
def test_a_page_reading_a_parameter_nobody_registered_is_never_kept(client, letter, monkeypatch):
    """Its key could not hold what it showed: `?colour=red` would be served `?colour=blue`."""
    get_context = LetterPage.get_context

    def reads_colour(self, request, *args, **kwargs):
        context = get_context(self, request, *args, **kwargs)
        context["colour"] = request.GET.get("colour")
        return context

    monkeypatch.setattr(LetterPage, "get_context", reads_colour)
    for colour in ("red", "red", "blue"):
        assert "X-Page-Cache" not in client.get(letter.url, {"colour": colour})


@pytest.mark.django_db
def test_a_wordpress_short_link_is_answered_even_when_its_page_is_kept(client, letter):
    """`/?p=123` lands on the home page: its key holds `p`, so the kept home page never
    answers for the redirect; a number with no redirect shows the home page as it is."""
    Redirect.objects.create(old_path="/?p=7", redirect_page=letter, is_permanent=True)
    home = client.get("/")
    assert cache(client.get("/")) == "hit"
    moved = client.get("/", {"p": "7"})
    assert moved.status_code == 301 and moved["Location"] == letter.url
    unknown = client.get("/", {"p": "8"})
    assert cache(unknown) == "miss" and not for_cdn(unknown)
    assert unknown.content == home.content
    assert cache(client.get("/", {"p": "8"})) == "hit"
