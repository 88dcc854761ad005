"""Site search: what it finds, what it never shows, and queries it must survive."""

import json

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction
from wagtail.search.models import IndexEntry

from advice.models import LetterPage
from testing.pages import answer

HOSTILE_QUERIES = [
    '"',
    "''",
    "()",
    "(handbag",
    "handbag)",
    "*",
    "hand*",
    "AND OR NOT",
    "handbag AND",
    "OR",
    "NOT handbag",
    '"unclosed',
    "-",
    "-handbag",
    "NEAR(",
    "NEAR(handbag strap, 2)",
    "'; DROP TABLE wagtailcore_page; --",
    "<script>alert(1)</script>",
    "👜💼",
    "handbag 👜",
    "%",
    "%%",
    "_",
    "title:foo",
    "pen_name:Guesser",
    "{title}: foo",
    "^",
    "^handbag",
    "handbag^2",
    "a" * 300,
    "\\",
    "\x00",
    "a'b",
    "’",
]


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200, repr(query)
    return response


def results(response):
    soup = BeautifulSoup(response.content, "html.parser")
    letters = soup.select("#letter-results ~ .cards .card__title a")
    guides = soup.select("#guide-results ~ .cards .card__title a")
    return [a.get_text() for a in letters], [a.get_text() for a in guides]


def letter_results(client, query, **params):
    return results(search(client, query, **params))[0]


@pytest.mark.django_db
def test_publishing_indexes_the_page_without_update_index(make_letter):
    """The other tests rely on this: tasks run inline, so publishing fills the search index."""
    letter = make_letter(pen_name="Quokka Fancier")
    assert IndexEntry.objects.filter(object_id=str(letter.pk)).exists()


@pytest.mark.django_db
def test_finds_a_letter_by_a_word_of_its_answer(client, make_letter):
    make_letter("About saddle stitching?", answer=answer("Look for slanted saddle stitching."))
    make_letter("Something else?")
    assert letter_results(client, "slanted") == ["About saddle stitching?"]


@pytest.mark.django_db
def test_finds_a_letter_by_a_word_of_its_letter(client, make_letter):
    make_letter("About a gift?", letter="<p>My aunt gave me a tangerine Evelyne.</p>")
    make_letter("Something else?")
    assert letter_results(client, "tangerine") == ["About a gift?"]


@pytest.mark.django_db
def test_finds_a_letter_by_its_pen_name(client, make_letter):
    make_letter("About a quota bag?", pen_name="Second Guesser")
    make_letter("Something else?")
    assert letter_results(client, "guesser") == ["About a quota bag?"]


@pytest.mark.django_db
def test_finds_a_letter_by_its_question(client, make_letter):
    make_letter("Is a vintage Kelly worth it?")
    make_letter("Something else?")
    assert letter_results(client, "Kelly") == ["Is a vintage Kelly worth it?"]


@pytest.mark.django_db
def test_every_word_must_match(client, make_letter):
    make_letter("Vintage Kelly?", answer=answer("Check the stamp."))
    make_letter("Vintage Birkin?", answer=answer("Check the stitching."))
    assert letter_results(client, "vintage stamp") == ["Vintage Kelly?"]
    assert letter_results(client, "vintage") == ["Vintage Birkin?", "Vintage Kelly?"]


@pytest.mark.django_db
def test_finds_a_guide_by_its_body(client, make_guide, make_letter):
    body = json.dumps([{"type": "paragraph", "value": "<p>Condition the vachetta yearly.</p>"}])
    make_guide("Caring for leather", "leather-care", body=body)
    make_guide("Another guide", "another")
    make_letter()
    letters, guides = results(search(client, "vachetta"))
    assert guides == ["Caring for leather"]
    assert letters == []


@pytest.mark.django_db
def test_an_empty_query_shows_the_prompt_and_no_results(client, make_letter):
    make_letter()
    for response in (client.get("/search/"), search(client, "")):
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        prompt = "Type a few words to search letters, answers, pen names and guides."
        assert soup.find(class_="empty").get_text() == prompt
        assert soup.select(".card") == []
        assert soup.find(class_="search__summary") is None


@pytest.mark.django_db
def test_a_query_without_words_asks_for_words(client, make_letter):
    make_letter()
    for query in ("   ", "%", "👜", "--"):
        soup = BeautifulSoup(search(client, query).content, "html.parser")
        assert "Type a few words (letters or numbers)" in soup.find(class_="empty").get_text()
        assert soup.select(".card") == []


@pytest.mark.django_db
def test_a_very_long_query_is_shortened_and_says_so(client, make_letter):
    make_letter("About a tangerine bag?", letter="<p>A tangerine Evelyne.</p>")
    response = search(client, "tangerine " + "x" * 1990)
    soup = BeautifulSoup(response.content, "html.parser")
    assert "we used its first 200 characters" in soup.find(class_="notice").get_text()
    assert len(soup.find(id="search-q")["value"]) == 200
    assert results(response)[0] == []  # "tangerine x...x": the long word matches nothing


@pytest.mark.django_db
def test_a_short_query_says_nothing_about_shortening(client, make_letter):
    make_letter()
    soup = BeautifulSoup(search(client, "tangerine").content, "html.parser")
    assert soup.find(class_="notice") is None


@pytest.mark.django_db
def test_hostile_queries_answer_normally(client, make_letter, make_guide):
    make_letter("A handbag question?", letter="<p>My handbag strap broke.</p>")
    make_guide("A handbag guide", "handbag-guide")
    for query in HOSTILE_QUERIES:
        search(client, query)


@pytest.mark.django_db
def test_punctuation_around_words_still_finds_them(client, make_letter):
    make_letter("A handbag question?", letter="<p>My handbag strap broke.</p>")
    for query in ["(handbag", '"handbag"', "handbag*", "-handbag", "^handbag", "handbag)"]:
        assert letter_results(client, query) == ["A handbag question?"], query


@pytest.mark.django_db
def test_a_script_in_the_query_is_escaped_in_the_page(client, make_letter):
    make_letter()
    response = search(client, "<script>alert(1)</script>")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<script>alert" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find(id="search-q")["value"] == "<script>alert(1)</script>"
    assert soup.find_all("script") == []


@pytest.mark.django_db
def test_results_are_paginated_ten_to_a_page(client, make_letter):
    for n in range(1, 13):
        make_letter(f"Tote question {n}?", letter="<p>About my tote.</p>")
    make_letter("Unrelated?")

    first = search(client, "tote")
    assert results(first)[0] == [f"Tote question {n}?" for n in range(12, 2, -1)]
    html = first.content.decode()
    assert "12 letters" in html
    assert "Page 1 of 2" in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("a", rel="next")["href"] == "?q=tote&page=2"

    assert letter_results(client, "tote", page=2) == ["Tote question 2?", "Tote question 1?"]
    assert letter_results(client, "tote", page=99) == ["Tote question 2?", "Tote question 1?"]
    assert letter_results(client, "tote", page="x") == results(first)[0]


@pytest.mark.django_db
def test_guides_are_shown_on_the_first_page_of_results_only(client, make_letter, make_guide):
    body = json.dumps([{"type": "paragraph", "value": "<p>All about the tote.</p>"}])
    make_guide("The tote guide", "tote-guide", body=body)
    for n in range(11):
        make_letter(f"Tote question {n}?", letter="<p>About my tote.</p>")
    assert results(search(client, "tote"))[1] == ["The tote guide"]
    assert results(search(client, "tote", page=2))[1] == []


@pytest.mark.django_db
def test_unpublished_letters_never_appear(client, column, columnist, make_letter):
    make_letter("Published quokka?", letter="<p>quokka</p>")
    make_letter("Withdrawn quokka?", letter="<p>quokka</p>").unpublish()
    draft = LetterPage(
        title="Draft quokka?",
        slug="draft-quokka",
        letter="<p>quokka</p>",
        pen_name="Drafty",
        answer=answer("quokka"),
        live=False,
    )
    column.add_child(instance=draft)
    draft.save_revision()
    assert letter_results(client, "quokka") == ["Published quokka?"]
    assert "1 letter for" in search(client, "quokka").content.decode()


@pytest.mark.django_db
def test_a_published_letters_unpublished_changes_are_not_searchable(client, make_letter):
    letter = make_letter("Original question?", letter="<p>Original words.</p>")
    letter.letter = "<p>Secret wombat draft.</p>"
    letter.save_revision()
    assert letter_results(client, "wombat") == []
    assert letter_results(client, "original") == ["Original question?"]


@pytest.mark.django_db
def test_private_letters_never_appear(client, make_letter):
    make_letter("Public quokka?", letter="<p>quokka</p>")
    private = make_letter("Private quokka?", letter="<p>quokka</p>")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    assert letter_results(client, "quokka") == ["Public quokka?"]
