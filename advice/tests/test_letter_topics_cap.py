"""A letter takes at most 20 topics (the form says so and keeps the ticks), and its editor
never searches the list of ticked topics once per topic (10,000 on one letter timed it out)."""

import pytest
from bs4 import BeautifulSoup
from django import forms

from advice.models import Topic
from advice.tests.test_editor_experience import letter_form


@pytest.fixture
def many_topics(db):
    return Topic.objects.bulk_create(
        [Topic(name=f"Topic {n:02d}", slug=f"topic-{n:02d}") for n in range(30)]
    )


def ticked(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {box["value"] for box in soup.select("input[name=topics][checked]")}


@pytest.mark.django_db
def test_more_than_twenty_topics_are_refused_with_the_ticks_kept(
    admin_client, make_letter, columnist, many_topics
):
    letter = make_letter("A question on everything?", topics=many_topics[:2])
    form = letter_form(many_topics[0], columnist, title=letter.title, slug=letter.slug)
    form["topics"] = [topic.pk for topic in many_topics[:21]]
    response = admin_client.post(f"/admin/pages/{letter.pk}/edit/", form)
    assert response.status_code == 200
    assert (
        "A letter can be filed under at most 20 topics; 21 are ticked. Untick 1 to save it."
        in response.content.decode()
    )
    assert ticked(response) == {str(topic.pk) for topic in many_topics[:21]}
    assert letter.topics.count() == 2

    form["topics"] = form["topics"][:20]
    assert admin_client.post(f"/admin/pages/{letter.pk}/edit/", form).status_code == 302
    letter.refresh_from_db()
    assert len(letter.get_latest_revision_as_object().topics.all()) == 20


class CountingList(list):
    searches = 0

    def __contains__(self, item):
        CountingList.searches += 1
        return super().__contains__(item)


@pytest.mark.django_db
def test_the_topic_boxes_look_ticks_up_without_searching_a_list(
    admin_client, make_letter, many_topics, monkeypatch
):
    """Work counted, not timed: Django's own checkboxes search the ticked list once per topic
    (topics × ticks comparisons); ours look each up in a set."""
    letter = make_letter("A question on everything?", topics=many_topics[:25])  # stored before
    base = forms.CheckboxSelectMultiple.format_value
    monkeypatch.setattr(
        forms.CheckboxSelectMultiple,
        "format_value",
        lambda self, value: CountingList(base(self, value)),
    )
    CountingList.searches = 0
    response = admin_client.get(f"/admin/pages/{letter.pk}/edit/")
    assert response.status_code == 200
    assert len(ticked(response)) == 25
    assert CountingList.searches == 0
