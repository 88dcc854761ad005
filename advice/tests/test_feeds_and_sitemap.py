"""RSS feeds of the column and its topics, the XML sitemap and robots.txt."""

import datetime
import email.utils
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from advice.models import Topic
from testing.pages import delete_image_files, make_image

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_SELF = "{http://www.w3.org/2005/Atom}link"


def get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, ET.fromstring(response.content)


def feed_items(channel):
    return [
        {
            "title": item.findtext("title"),
            "link": item.findtext("link"),
            "pubDate": item.findtext("pubDate"),
            "categories": [c.text for c in item.findall("category")],
        }
        for item in channel.findall("item")
    ]


@pytest.mark.django_db
def test_column_feed_lists_letters_newest_first(client, make_letter, topic):
    older = make_letter("Older question?", date=datetime.date(2025, 3, 1), topics=[topic])
    newer = make_letter("Newer question?", date=datetime.date(2026, 2, 14), dek="A summary.")

    response, rss = get_xml(client, "/dear-pursebop/feed/")

    assert response["Content-Type"].startswith("application/rss+xml")
    channel = rss.find("channel")
    assert channel.findtext("title") == "Dear PurseBop"
    assert channel.findtext("link") == "http://testserver/dear-pursebop/"
    assert channel.find(ATOM_SELF).get("href") == "http://testserver/dear-pursebop/feed/"
    assert channel.findtext("description") == "Letters and answers."
    items = feed_items(channel)
    assert [item["title"] for item in items] == ["Newer question?", "Older question?"]
    assert [item["link"] for item in items] == [newer.full_url, older.full_url]
    assert items[0]["link"] == "http://testserver/dear-pursebop/question-2/"
    dates = [email.utils.parsedate_to_datetime(item["pubDate"]).date() for item in items]
    assert dates == [datetime.date(2026, 2, 14), datetime.date(2025, 3, 1)]
    assert items[1]["categories"] == ["Special orders"]
    assert channel.find("item").findtext("description") == "A summary."


@pytest.mark.django_db
def test_item_descriptions_are_html_showing_the_text_as_typed(client, make_letter):
    """Feed readers treat an item's description as HTML: markup an editor typed into a
    summary is shown as text, never run; the letter's own text (already HTML) is not
    escaped twice."""
    make_letter("Typed?", dek="<script>alert(1)</script> Fish & chips <b>bold</b>")
    make_letter("From the letter?", letter="<p>Ham &amp; eggs, &lt;i&gt; typed.</p>")
    _response, rss = get_xml(client, "/dear-pursebop/feed/")
    descriptions = {
        item.findtext("title"): item.findtext("description") for item in rss.iter("item")
    }
    # What the XML carries once parsed: the HTML a feed reader renders.
    assert descriptions["Typed?"] == (
        "&lt;script&gt;alert(1)&lt;/script&gt; Fish &amp; chips &lt;b&gt;bold&lt;/b&gt;"
    )
    assert descriptions["From the letter?"] == "Ham &amp; eggs, &lt;i&gt; typed."
    Topic.objects.create(name="Care", slug="care", description="Straps & <i>stitches</i>")
    _response, rss = get_xml(client, "/dear-pursebop/topic/care/feed/")
    assert rss.find("channel").findtext("description") == "Straps &amp; &lt;i&gt;stitches&lt;/i&gt;"


@pytest.mark.django_db
def test_every_feed_link_opens_its_letter(client, make_letter):
    make_letter()
    make_letter()
    _response, rss = get_xml(client, "/dear-pursebop/feed/")
    links = [item["link"] for item in feed_items(rss.find("channel"))]
    assert len(links) == 2
    for link in links:
        url = urlsplit(link)
        assert (url.scheme, url.netloc) == ("http", "testserver")
        assert client.get(url.path).status_code == 200


@pytest.mark.django_db
def test_column_feed_leaves_out_unpublished_letters_and_stops_at_twenty(client, make_letter):
    for n in range(22):
        make_letter(f"Letter {n}?")
    make_letter("Withdrawn?", date=datetime.date(2030, 1, 1)).unpublish()
    _response, rss = get_xml(client, "/dear-pursebop/feed/")
    titles = [item["title"] for item in feed_items(rss.find("channel"))]
    assert titles == [f"Letter {n}?" for n in range(21, 1, -1)]


@pytest.mark.django_db
def test_topic_feed_has_only_that_topics_letters(client, make_letter, topic):
    quotas = Topic.objects.create(name="Quotas", slug="quotas")
    make_letter("About special orders?", topics=[topic])
    make_letter("About quotas?", topics=[quotas])
    make_letter("About both?", topics=[topic, quotas])
    make_letter("About nothing?")

    _response, rss = get_xml(client, "/dear-pursebop/topic/special-orders/feed/")

    channel = rss.find("channel")
    assert channel.findtext("title") == "Dear PurseBop: Special orders"
    assert channel.findtext("link") == "http://testserver/dear-pursebop/topic/special-orders/"
    assert (
        channel.find(ATOM_SELF).get("href")
        == "http://testserver/dear-pursebop/topic/special-orders/feed/"
    )
    assert channel.findtext("description") == "Ordering a bag made for you."
    titles = [item["title"] for item in feed_items(channel)]
    assert titles == ["About both?", "About special orders?"]


@pytest.mark.django_db
def test_unknown_topic_feed_is_not_found(client, make_letter):
    make_letter()
    assert client.get("/dear-pursebop/topic/nothing-here/feed/").status_code == 404


@pytest.mark.django_db
def test_listing_pages_advertise_their_feed(client, make_letter, topic):
    make_letter(topics=[topic])
    html = client.get("/dear-pursebop/topic/special-orders/").content.decode()
    assert 'type="application/rss+xml"' in html
    assert 'href="/dear-pursebop/topic/special-orders/feed/"' in html


def sitemap_locations(client):
    """Every page address in the sitemap: /sitemap.xml is an index of sitemaps."""
    _response, index = get_xml(client, "/sitemap.xml")
    locations = []
    for sitemap_url in [loc.text for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)]:
        url = urlsplit(sitemap_url)
        _response, sitemap = get_xml(client, f"{url.path}?{url.query}" if url.query else url.path)
        locations += [loc.text for loc in sitemap.findall("sm:url/sm:loc", SITEMAP_NS)]
    return locations


@pytest.mark.django_db
def test_sitemap_lists_letters_and_guides(client, make_letter, make_guide):
    letters = [make_letter(), make_letter()]
    guide = make_guide("Insider's guide", "insider-guide")
    withdrawn = make_letter("Withdrawn?")
    withdrawn.unpublish()

    locations = sitemap_locations(client)
    for page in [*letters, guide]:
        assert page.full_url in locations
    assert "http://testserver/dear-pursebop/question-1/" in locations
    assert "http://testserver/guides/insider-guide/" in locations
    assert "http://testserver/dear-pursebop/" in locations
    assert withdrawn.full_url not in locations
    assert len(locations) == len(set(locations))


@pytest.mark.django_db
def test_robots_txt_names_the_sitemap(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"


@pytest.mark.django_db
def test_feed_items_carry_the_letter_and_answer_in_full_with_absolute_addresses(
    client, make_letter, make_guide, settings, tmp_path
):
    """Feed readers get the whole answer (not the summary) as HTML: links and pictures
    pointing at the site, the reader's letter cleaned, nothing that runs."""
    settings.MEDIA_ROOT = tmp_path
    guide = make_guide("Care guide", "care-guide")
    image = make_image("Strap")
    answer_blocks = [
        {
            "type": "paragraph",
            "value": f'<p>Read <a linktype="page" id="{guide.pk}">the guide</a> and '
            '<a href="https://example.org/x">this</a>.</p>',
        },
        {"type": "heading", "value": "Straps & buckles"},
        {"type": "image", "value": {"image": {"image": image.pk, "alt_text": "A strap"}}},
    ]
    make_letter(
        "Full text?",
        dek="Only the summary.",
        letter='<p>My strap broke <img src=x onerror="alert(1)"><script>alert(2)</script>.</p>',
        pen_name="Frayed <b>in</b> Leeds",
        answer=json.dumps(answer_blocks),
        sign_off="Mend it well.",
    )
    _response, rss = get_xml(client, "/dear-pursebop/feed/")
    item = rss.find("channel").find("item")
    assert item.findtext("description") == "Only the summary."
    content = item.findtext(CONTENT_ENCODED)
    assert "<p>My strap broke alert(2).</p>" in content  # tags gone, their text as text
    assert "onerror" not in content and "<script" not in content
    assert content.count("<img ") == 1  # the answer's picture, not the letter's
    assert "Frayed &lt;b&gt;in&lt;/b&gt; Leeds" in content
    assert '<a href="http://testserver/guides/care-guide/">the guide</a>' in content
    assert '<a href="https://example.org/x">this</a>' in content
    assert "<h3>Straps &amp; buckles</h3>" in content
    assert re.search(r'<img [^>]*src="http://testserver/media/images/strap[^"]*\.png"', content)
    assert 'alt="A strap"' in content
    assert "<p>Mend it well.</p>" in content
    make_letter("Topic too?", topics=[Topic.objects.create(name="Care", slug="care")])
    _response, rss = get_xml(client, "/dear-pursebop/topic/care/feed/")
    assert "Answer text number 2." in rss.find("channel").find("item").findtext(CONTENT_ENCODED)
    delete_image_files([image])


@pytest.mark.django_db
def test_a_letter_without_a_pen_name_is_in_the_feed_with_the_columns_default_salutation(
    client, column, make_letter
):
    column.default_salutation = "Dear reader,"
    column.save_revision().publish()
    make_letter("Unsigned?", pen_name="")
    make_letter("All answer?", letter="", pen_name="")
    _response, rss = get_xml(client, "/dear-pursebop/feed/")
    all_answer, unsigned = (item.findtext(CONTENT_ENCODED) for item in rss.iter("item"))
    assert "<p>Dear reader,</p>" in unsigned and "Letter text number 1." in unsigned
    assert "—" not in unsigned
    assert "<p>Dear reader,</p>" in all_answer and "Dear PurseBop" not in all_answer
