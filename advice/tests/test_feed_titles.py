"""Feed titles and categories are plain text: markup typed into a title or a topic's name is
dropped and entities are decoded once, so a feed reader shows the words (RSS titles are text;
many readers render them as HTML, others show the tags)."""

import xml.etree.ElementTree as ET

import pytest

from advice.models import Topic


@pytest.mark.django_db
def test_feed_titles_and_categories_carry_text_not_markup(client, make_letter):
    topic = Topic.objects.create(name="Care <i>&amp;</i> repair", slug="care-repair")
    make_letter("Is <b>this</b> bag worth it &amp; more?", topics=[topic])
    for url in ("/dear-pursebop/feed/", "/dear-pursebop/topic/care-repair/feed/"):
        response = client.get(url)
        assert response.status_code == 200
        channel = ET.fromstring(response.content).find("channel")
        item = channel.find("item")
        assert item.findtext("title") == "Is this bag worth it & more?"
        assert [c.text for c in item.findall("category")] == ["Care & repair"]
    assert channel.findtext("title") == "Dear PurseBop: Care & repair"
