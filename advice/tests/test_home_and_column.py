"""The home page and a column named like the site are told apart, in the admin and the tab."""

import re

import pytest


def title_of(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.mark.django_db
def test_the_browser_tab_tells_home_from_the_column(client, home_page, column):
    assert home_page.title == column.title == "Dear PurseBop"
    assert title_of(client.get("/")) == "Home · Dear PurseBop"
    assert title_of(client.get("/dear-pursebop/")) == "Dear PurseBop"


@pytest.mark.django_db
def test_the_explorer_and_the_chooser_tell_home_from_the_column(admin_client, home_page, column):
    explorer = admin_client.get(f"/admin/pages/{home_page.pk}/").content.decode()
    assert "Home: Dear PurseBop" in explorer
    assert re.search(r">\s*Dear PurseBop\s*<", explorer)  # the column, under its own name
    root = home_page.get_parent()
    listing = admin_client.get(f"/admin/pages/{root.pk}/").content.decode()
    assert "Home: Dear PurseBop" in listing
    chooser = admin_client.get(f"/admin/choose-page/{home_page.pk}/").json()["html"]
    assert "Home: Dear PurseBop" in chooser
    assert re.search(r">\s*Dear PurseBop\s*<", chooser)
