"""The site's error pages (base.views, templates/plain.html): every 400, 403 and 413 is a page
in the site's design that says what to do, rendered without a database query; never Django's
bare "Bad Request (400)"."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.views.defaults import permission_denied

POST_URL = "/replies/post/"


def page(response_or_html):
    html = getattr(response_or_html, "content", response_or_html)
    return BeautifulSoup(html, "html.parser")


def assert_our_design(html):
    soup = page(html)
    assert soup.select_one("header.site-header a.site-title"), "not in the site's design"
    assert soup.find("link", rel="stylesheet")["href"].endswith("css/site.css")
    assert soup.select_one("main#main h1")
    return soup


@pytest.mark.django_db
def test_too_many_fields_answers_our_400_page(client, settings):
    fields = "&".join(f"f{n}=x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.post(POST_URL, fields, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    soup = assert_our_design(response)
    assert soup.h1.get_text() == "We could not read what your browser sent"
    assert "Back" in soup.main.get_text()


@pytest.mark.django_db
def test_a_body_too_large_to_read_answers_413_and_says_the_form_has_the_text(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(POST_URL, {"comment": "x" * 20_000, "name": "Jo"})
    assert response.status_code == 413
    soup = assert_our_design(response)
    assert soup.h1.get_text() == "Your text was too long for us to read"
    text = " ".join(soup.main.get_text().split())
    assert "Back button: the form still has your text" in text
    assert "up to 3,000 characters" in text


@pytest.mark.django_db
def test_an_unknown_host_answers_our_400_page(client):
    response = client.get("/", HTTP_HOST="not-ours.example.com")
    assert response.status_code == 400
    assert_our_design(response)


@pytest.mark.django_db
def test_a_refused_page_answers_our_403_page(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = permission_denied(rf.get("/somewhere/"), PermissionDenied())
    assert response.status_code == 403
    assert assert_our_design(response).h1.get_text() == "You cannot open this page"


@pytest.mark.django_db
@pytest.mark.parametrize("template", ["400.html", "403.html", "413.html"])
def test_error_pages_render_without_a_query(template, rf, django_assert_num_queries):
    """With a request (context processors and all) and without one, as Django's handlers
    render them: the database may be what failed."""
    with django_assert_num_queries(0):
        with_request = render_to_string(template, {}, request=rf.get("/"))
        without = render_to_string(template)
    for html in (with_request, without):
        assert "Dear PurseBop" in page(html).title.get_text()
        assert_our_design(html)


@pytest.mark.django_db
def test_the_500_page_stays_a_static_page(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert page(html).h1.get_text() == "Something went wrong on our side"


@pytest.mark.django_db
def test_page_not_found_offers_search_and_the_topics(client, make_letter, topic):
    make_letter(topics=[topic])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("main form[role=search] input[name=q]") is not None
    assert [(a.get_text(), a["href"]) for a in soup.select("main .topic-list a")] == [
        ("Special orders", "/dear-pursebop/topic/special-orders/")
    ]


@pytest.mark.django_db
def test_every_public_page_points_feed_readers_to_the_column_feed(client, make_letter, make_guide):
    letter = make_letter()
    guide = make_guide("A guide", "a-guide")
    for url in ["/", "/dear-pursebop/", letter.url, guide.url, "/search/?q=bag", "/nope/"]:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        feeds = [
            link["href"] for link in soup.select('link[rel=alternate][type="application/rss+xml"]')
        ]
        assert feeds == ["/dear-pursebop/feed/"], url
