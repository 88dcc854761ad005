import pytest
from django.contrib.sites.models import Site as DjangoSite
from django.core.management import call_command
from wagtail.models import Page, Site, get_page_models

from advice.models import HomePage


def page_counts():
    return {model.__name__: model.objects.count() for model in get_page_models()} | {
        "Page": Page.objects.count(),
        "Site": Site.objects.count(),
    }


@pytest.mark.django_db
def test_demo_loader_builds_the_site_and_a_second_run_duplicates_nothing(client):
    call_command("load_initial_data", verbosity=0)
    first = page_counts()
    call_command("load_initial_data", verbosity=0)
    assert page_counts() == first

    home = HomePage.objects.get()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk
    assert Site.objects.count() == 1
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    assert DjangoSite.objects.get(pk=1).domain == "testserver"

    response = client.get("/", HTTP_HOST="testserver")
    assert response.status_code == 200
    assert "<h1" in response.content.decode()
