"""The demo loader on an empty site: what it builds, and that a second run adds nothing."""

import re

import pytest
from django.contrib.sites.models import Site as DjangoSite
from django.core.management import call_command
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
