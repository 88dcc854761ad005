"""Reader letters plug into the column through its registries (advice.plugins), and the column
shows them as it did when it named this app itself: the write-in page is a page type of the
column and the one type the column's write-in chooser offers, and the "write_in" slot draws
the same link the column's templates used to include."""

from django.template import Context, Template
from django.urls import reverse

from advice.models import AdviceIndexPage, HomePage
from mailbag.models import WriteInPage


def test_editors_add_the_write_in_page_under_a_column(home_page, column):
    assert WriteInPage in AdviceIndexPage.allowed_subpage_models()
    assert WriteInPage.can_create_at(column)
    assert WriteInPage not in HomePage.allowed_subpage_models()


def test_the_columns_write_in_chooser_offers_only_write_in_pages():
    form_class = AdviceIndexPage.get_edit_handler().get_form_class()
    widget = form_class.base_fields["write_in_page"].widget
    assert widget.target_models == [WriteInPage]


def test_the_column_edit_form_offers_the_write_in_page(admin_client, column, write_in):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[column.pk]))
    assert response.status_code == 200
    assert "mailbag.writeinpage" in response.content.decode()


def test_the_write_in_slot_draws_exactly_the_link_the_column_included(column, write_in):
    slot = Template('{% load advice_tags %}{% column_fragments "write_in" column=page %}')
    include = Template('{% include "mailbag/write_in_link.html" with column=page %}')
    drawn = slot.render(Context({"page": column}))
    assert drawn == include.render(Context({"page": column}))
    assert f'<a href="{write_in.url}">Send your own letter to {column.title}</a>' in drawn
