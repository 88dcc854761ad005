"""The demo loader on an empty site: what it builds, and that a second run adds nothing; on a
site from before each column had its own write-in page, it moves the old one."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.sites.models import Site as DjangoSite
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, Site, get_page_models

from advice.models import (
    AdviceIndexPage,
    Columnist,
    HomePage,
    LetterPage,
    LetterRelatedLink,
    Topic,
)
from comments.models import Reply, ReplyReport
from demo.loader import load_demo_content, read_content
from mailbag.models import WriteInPage
from testing.letters import add_write_in_page


def counts():
    models = [
        *get_page_models(),
        Topic,
        Columnist,
        LetterRelatedLink,
        get_image_model(),
        Site,
        Reply,
        ReplyReport,
    ]
    return {model.__name__: model.objects.count() for model in models if not model._meta.abstract}


@pytest.mark.django_db
def test_demo_loader_builds_the_site_and_a_second_run_duplicates_nothing(client, capsys):
    call_command("load_initial_data")
    first = counts()
    assert re.search(
        r"Demo content ready: [1-9]\d* created, 0 already there", capsys.readouterr().out
    )
    call_command("load_initial_data")
    assert counts() == first
    assert re.search(
        r"Demo content ready: 0 created, [1-9]\d* already there", capsys.readouterr().out
    )

    assert first["LetterPage"] >= 8
    assert first["GuidePage"] == 3
    assert first["Topic"] >= 4
    assert first["Columnist"] == 2
    used_topics = Topic.objects.filter(letters__isnull=False).distinct().count()
    assert used_topics >= 4
    assert all(letter.hero_image_id for letter in LetterPage.objects.all())

    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert Site.objects.count() == 1
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    assert DjangoSite.objects.get(pk=1).domain == "testserver"
    assert AdviceIndexPage.objects.get(slug="dear-pursebop").url == "/dear-pursebop/"
    # The demo's replies, some held, one rejected, are counted for the cards as they are shown.
    from comments.models import ReplyCount
    from comments.threads import visible_counts

    shown = {key: count for key, count in visible_counts(Reply.objects.all()).items() if count}
    assert shown
    stored = ReplyCount.objects.filter(shown__gt=0).values_list(
        "content_type", "object_pk", "shown"
    )
    assert {(content_type, object_pk): count for content_type, object_pk, count in stored} == shown


def write_in_pages():
    return {page.get_parent().slug: page for page in WriteInPage.objects.all().order_by("path")}


@pytest.mark.django_db
def test_each_column_gets_its_own_write_in_page_and_the_old_address_redirects(client):
    call_command("load_initial_data", verbosity=0)
    pages = write_in_pages()
    assert set(pages) == {"dear-pursebop", "the-workbench"}
    assert pages["dear-pursebop"].url == "/dear-pursebop/write/"
    assert pages["the-workbench"].url == "/the-workbench/write/"
    for slug, page in pages.items():
        assert AdviceIndexPage.objects.get(slug=slug).write_in_page_id == page.pk
        assert page.live and page.intro
    response = client.get("/write/")
    assert response.status_code == 301
    assert response["Location"] == "/dear-pursebop/write/"
    workbench = client.get("/the-workbench/write/")
    assert BeautifulSoup(workbench.content, "html.parser").h1.text == "Write to The Workbench"


@pytest.mark.django_db
def test_a_second_run_on_an_old_site_moves_its_write_in_page_under_the_first_column(client):
    """A database from before columns held their own write-in page: one page at /write/
    under the home page, chosen by both columns."""
    old_content = read_content()
    for column in old_content["columns"]:
        column.pop("write_in")
    load_demo_content(content=old_content)
    assert not WriteInPage.objects.exists()
    home = HomePage.objects.get()
    first = AdviceIndexPage.objects.get(slug="dear-pursebop")
    second = AdviceIndexPage.objects.get(slug="the-workbench")
    old = add_write_in_page(first, parent=home)
    add_write_in_page(second, parent=home, slug="unused")  # then chosen by the first
    old = WriteInPage.objects.get(pk=old.pk)
    second.write_in_page = old
    second.save_revision().publish()
    assert client.get("/write/").status_code == 200

    call_command("load_initial_data", verbosity=0)
    pages = write_in_pages()
    assert pages["dear-pursebop"].pk == old.pk  # moved, not made again
    assert pages["dear-pursebop"].url == "/dear-pursebop/write/"
    assert pages["the-workbench"].url == "/the-workbench/write/"
    assert AdviceIndexPage.objects.get(slug="dear-pursebop").write_in_page_id == old.pk
    assert AdviceIndexPage.objects.get(slug="the-workbench").write_in_page_id == (
        pages["the-workbench"].pk
    )
    response = client.get("/write/")
    assert response.status_code == 301
    assert response["Location"] == "/dear-pursebop/write/"
    assert client.get(response["Location"]).status_code == 200
    redirects = Redirect.objects.filter(old_path="/write")
    assert redirects.count() == 1 and redirects.get().is_permanent

    # A third run moves, makes and redirects nothing more.
    before = (list(WriteInPage.objects.values_list("pk", "path")), Redirect.objects.count())
    call_command("load_initial_data", verbosity=0)
    after = (list(WriteInPage.objects.values_list("pk", "path")), Redirect.objects.count())
    assert after == before
