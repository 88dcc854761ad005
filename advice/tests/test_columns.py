"""Several columns on one site: each greets readers its own way and keeps its own archives,
links and feeds under its own address; the home page shows them all."""

import pytest
from bs4 import BeautifulSoup

from advice.models import AdviceIndexPage
from conftest import publish_child

SECOND = "/the-workbench/"


@pytest.fixture
def second_column(home_page):
    return publish_child(
        home_page,
        AdviceIndexPage(
            title="The Workbench",
            slug="the-workbench",
            intro="<p>Repairs and how bags are made.</p>",
            greeting="Dear Workbench,",
        ),
    )


def get_soup(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
def test_each_column_greets_readers_its_own_way(client, column, second_column, make_letter):
    first = make_letter("In the first column?")
    second = make_letter("In the second column?", parent=second_column)

    greeting = get_soup(client, second.url).find(class_="letter__greeting").get_text()
    assert greeting == "Dear Workbench,"
    greeting = get_soup(client, first.url).find(class_="letter__greeting").get_text()
    assert greeting == "Dear PurseBop,"


@pytest.mark.django_db  # a new page looks up its content type
def test_a_column_without_a_greeting_is_greeted_by_its_title():
    assert AdviceIndexPage(title="Ask the Atelier").get_greeting() == "Dear Ask the Atelier,"
    assert AdviceIndexPage(title="Dear Prudence").get_greeting() == "Dear Prudence,"
    assert AdviceIndexPage(title="Dear Prudence", greeting="Hi P,").get_greeting() == "Hi P,"
