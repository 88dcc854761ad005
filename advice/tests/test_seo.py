"""What search engines and link previews read: title, description, canonical, Open Graph,
Twitter card and the schema.org Article in JSON-LD."""

import json

import pytest
from bs4 import BeautifulSoup

from testing.pages import delete_image_files, make_image

XSS_TITLE = "Is it </script><script>alert(1)</script> real?"


def get_soup(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def meta(soup, key):
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def json_ld(soup):
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


@pytest.fixture
def letter(make_letter):
    return make_letter(
        "What happens if I reject my special order?",
        dek="A reader gets cold feet after eighteen months.",
    )


@pytest.fixture
def hero_image(db):
    image = make_image("Orange box")
    yield image
    delete_image_files([image])


@pytest.fixture
def guide(make_guide):
    return make_guide(
        "Insider's guide to special orders",
        "special-orders-guide",
        dek="How ordering a bag made for you works.",
    )


@pytest.mark.django_db
def test_letter_head_tags(client, letter):
    soup = get_soup(client, letter.url)
    url = "http://testserver/dear-pursebop/question-1/"
    assert soup.title.string == "What happens if I reject my special order? · Dear PurseBop"
    assert meta(soup, "description") == "A reader gets cold feet after eighteen months."
    assert soup.find("link", rel="canonical")["href"] == url
    assert meta(soup, "og:title") == "What happens if I reject my special order?"
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:url") == url
    assert meta(soup, "og:description") == "A reader gets cold feet after eighteen months."
    assert meta(soup, "twitter:card") == "summary"
    assert meta(soup, "og:image") is None


@pytest.mark.django_db
def test_guide_head_tags(client, guide):
    soup = get_soup(client, guide.url)
    url = "http://testserver/guides/special-orders-guide/"
    assert soup.title.string == "Insider's guide to special orders · Dear PurseBop"
    assert meta(soup, "description") == "How ordering a bag made for you works."
    assert soup.find("link", rel="canonical")["href"] == url
    assert meta(soup, "og:title") == "Insider's guide to special orders"
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:url") == url
    assert meta(soup, "twitter:card") == "summary"


@pytest.mark.django_db
def test_seo_title_and_search_description_win_over_title_and_summary(client, make_letter):
    letter = make_letter(
        "A very long question that a search result would cut short?",
        seo_title="Rejecting a special order",
        search_description="What refusing a special order costs you.",
        dek="The summary readers see.",
    )
    soup = get_soup(client, letter.url)
    assert soup.title.string == "Rejecting a special order · Dear PurseBop"
    assert meta(soup, "og:title") == "Rejecting a special order"
    assert meta(soup, "description") == "What refusing a special order costs you."
    assert soup.find("h1").get_text() == letter.title


@pytest.mark.django_db
def test_a_long_summary_is_cut_to_two_hundred_characters(client, make_letter):
    letter = make_letter(dek="word " * 59)
    description = meta(get_soup(client, letter.url), "description")
    assert len(description) <= 200
    assert description.startswith("word word")


@pytest.mark.django_db
def test_quotes_in_a_description_stay_inside_the_attribute(client, make_letter):
    letter = make_letter(dek='She said "no" & <b>left</b>.')
    soup = get_soup(client, letter.url)
    assert meta(soup, "description") == 'She said "no" & <b>left</b>.'
    assert soup.find("b") is None


@pytest.mark.django_db
def test_a_hero_image_makes_a_large_sharing_card(client, make_letter, hero_image):
    letter = make_letter(hero_image=hero_image)
    soup = get_soup(client, letter.url)
    assert meta(soup, "twitter:card") == "summary_large_image"
    image_url = meta(soup, "og:image")
    assert image_url.startswith("http://testserver/media/images/")
    assert client.get(image_url.removeprefix("http://testserver")).status_code == 200
    assert json_ld(soup)["image"] == image_url


@pytest.mark.django_db
def test_letter_json_ld_is_an_article_by_the_columnist(client, letter):
    data = json_ld(get_soup(client, letter.url))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["headline"] == "What happens if I reject my special order?"
    assert data["author"] == {"@type": "Person", "name": "Avery Stone"}
    assert data["datePublished"] == letter.date.isoformat()
    assert data["url"] == data["mainEntityOfPage"] == letter.full_url
    assert data["description"] == "A reader gets cold feet after eighteen months."
    assert data["articleBody"] == "Letter text number 1."


@pytest.mark.django_db
def test_guide_json_ld_is_an_article_by_the_columnist(client, guide):
    data = json_ld(get_soup(client, guide.url))
    assert data["@type"] == "Article"
    assert data["headline"] == "Insider's guide to special orders"
    assert data["author"] == {"@type": "Person", "name": "Avery Stone"}
    assert data["datePublished"] == "2025-06-01"
    assert data["url"] == guide.full_url
    assert "articleBody" not in data


@pytest.mark.django_db
def test_without_a_columnist_the_author_is_an_organisation(client, make_letter):
    letter = make_letter(columnist=None)
    author = json_ld(get_soup(client, letter.url))["author"]
    assert author["@type"] == "Organization"
    assert author["name"]


@pytest.mark.django_db
def test_a_title_cannot_break_out_of_the_json_ld(client, make_letter):
    letter = make_letter(XSS_TITLE, dek="</script><script>alert(2)</script>")
    response = client.get(letter.url)
    html = response.content.decode()

    assert "</script><script>alert" not in html
    assert "<script>alert" not in html
    soup = BeautifulSoup(html, "html.parser")
    data = json_ld(soup)
    assert data["headline"] == XSS_TITLE
    assert data["description"] == "</script><script>alert(2)</script>"
    assert soup.title.string == f"{XSS_TITLE} · Dear PurseBop"
    assert meta(soup, "og:title") == XSS_TITLE
    assert soup.find("h1").get_text() == XSS_TITLE
    # No script the title injected: only the JSON-LD and our own replies.js file.
    scripts = [(s.get("type"), s.get("src")) for s in soup.find_all("script")]
    assert scripts == [("application/ld+json", None), (None, "/static/js/replies.js")]


@pytest.mark.django_db
def test_a_guide_title_cannot_break_out_of_the_json_ld(client, make_guide):
    guide = make_guide(XSS_TITLE, "xss-guide")
    html = client.get(guide.url).content.decode()
    assert "</script><script>alert" not in html
    assert json_ld(BeautifulSoup(html, "html.parser"))["headline"] == XSS_TITLE


@pytest.mark.django_db
def test_listing_pages_are_websites_with_their_own_canonical(client, make_letter, topic):
    make_letter(topics=[topic])
    soup = get_soup(client, "/dear-pursebop/topic/special-orders/")
    assert meta(soup, "og:type") == "website"
    assert soup.title.string.startswith("Special orders · ")
    assert (
        soup.find("link", rel="canonical")["href"]
        == "http://testserver/dear-pursebop/topic/special-orders/"
    )
    assert soup.find("script", type="application/ld+json") is None


@pytest.mark.django_db
def test_letter_json_ld_lists_the_approved_replies_shown_as_comments(client, letter):
    from comments.models import ReplyStatus
    from testing.replies import store_reply

    def reply(text, status=ReplyStatus.APPROVED, parent=None, name="Jo"):
        return store_reply(
            letter, parent, status, user_name=name, user_email="jo@example.com", comment=text
        )

    first = reply("First <b>thoughts</b>\n\nwith https://example.com/x", name="</script>Jo")
    answer = reply("An answer & more.", parent=first)
    reply("Held back.", status=ReplyStatus.PENDING)
    reply("Thrown out.", status=ReplyStatus.REJECTED)

    response = client.get(letter.url)
    assert "</script>Jo" not in response.content.decode().split("</head>")[0]
    data = json_ld(BeautifulSoup(response.content, "html.parser"))
    assert data["commentCount"] == 2
    url = letter.full_url
    assert data["comment"] == [
        {
            "@type": "Comment",
            "@id": f"{url}#reply-{first.pk}",
            "author": {"@type": "Person", "name": "</script>Jo"},
            "dateCreated": first.submit_date.isoformat(),
            "text": "First thoughts with https://example.com/x",
        },
        {
            "@type": "Comment",
            "@id": f"{url}#reply-{answer.pk}",
            "author": {"@type": "Person", "name": "Jo"},
            "dateCreated": answer.submit_date.isoformat(),
            "text": "An answer & more.",
            "parentItem": {"@id": f"{url}#reply-{first.pk}"},
        },
    ]


@pytest.mark.django_db
def test_a_topic_page_is_shared_as_itself_not_as_the_column(client, make_letter, topic):
    make_letter(topics=[topic])
    soup = get_soup(client, "/dear-pursebop/topic/special-orders/?page=1")
    url = "http://testserver/dear-pursebop/topic/special-orders/"
    assert meta(soup, "og:url") == url
    assert soup.find("link", rel="canonical")["href"] == url
    assert meta(soup, "og:title") == "Special orders · Dear PurseBop"
    assert meta(soup, "twitter:title") == "Special orders · Dear PurseBop"
    assert meta(soup, "description") == "Ordering a bag made for you."
    assert meta(soup, "og:description") == "Ordering a bag made for you."

    # A topic without a description still has its own, and its second page its own address.
    bare = type(topic).objects.create(name="Straps", slug="straps")
    for _ in range(11):
        make_letter(topics=[bare])
    soup = get_soup(client, "/dear-pursebop/topic/straps/?page=2")
    assert meta(soup, "og:url") == "http://testserver/dear-pursebop/topic/straps/?page=2"
    assert meta(soup, "description") == "Letters about straps in Dear PurseBop, newest first."
    assert meta(soup, "og:title") == "Straps · Dear PurseBop"


@pytest.mark.django_db
def test_a_columnist_page_is_shared_with_their_bio(client, make_letter, columnist):
    columnist.bio = "<p>Avery answers letters about <i>special orders</i>.</p>"
    columnist.save()
    make_letter()
    soup = get_soup(client, "/dear-pursebop/columnist/avery-stone/")
    assert meta(soup, "og:url") == "http://testserver/dear-pursebop/columnist/avery-stone/"
    assert meta(soup, "og:title") == "Avery Stone · Dear PurseBop"
    assert meta(soup, "description") == "Avery answers letters about special orders."
