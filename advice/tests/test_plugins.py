"""The column's registries (advice.plugins): a slot draws what apps above registered for it,
in order, with the tag's arguments; a callable's text is escaped; an empty slot draws nothing."""

from django.template import Context, Template
from django.utils.html import format_html

from advice import plugins
from advice.models import HomePage

SLOT = Template('{% load advice_tags %}[{% column_fragments "test_slot" column=page %}]')


def test_an_empty_slot_draws_nothing():
    assert SLOT.render(Context({"page": "Ask Us"})) == "[]"


def test_a_slot_draws_its_fragments_in_order_with_the_arguments(monkeypatch):
    def signed(context, column):
        return format_html("<i>{}</i>", column)

    def plain(context, column):
        return f"<b>{column}</b>"

    monkeypatch.setitem(plugins._fragments, "test_slot", [signed, plain])
    drawn = SLOT.render(Context({"page": "Ask & Tell"}))
    assert drawn == "[<i>Ask &amp; Tell</i>&lt;b&gt;Ask &amp; Tell&lt;/b&gt;]"


def test_a_registered_page_type_joins_the_parents_own(monkeypatch):
    monkeypatch.setitem(plugins._subpage_types, "advice.homepage", ["advice.GuidePage"])
    assert HomePage.subpage_types == [
        "advice.AdviceIndexPage",
        "advice.GuideIndexPage",
        "advice.GuidePage",
    ]
