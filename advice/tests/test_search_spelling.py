"""Search that forgives: accents ignored, a misspelt search corrected from the vocabulary of
the live pages' words, the count line and the page when nothing is found. The same tests run
on SQLite and on PostgreSQL (DATABASE_URL)."""

import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction

from advice import plugins
from advice.models import PageSearchWords, SearchWord
from advice.spelling import distance, rebuild, suggest
from testing.pages import answer

ROOT = Path(__file__).resolve().parents[2]


def page(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(soup, section="letter-results"):
    return [a.get_text() for a in soup.select(f"#{section} ~ .cards .card__title a")]


def summary(soup):
    return soup.find(class_="search__summary").get_text()


def words():
    return dict(SearchWord.objects.values_list("word", "pages"))


@pytest.fixture
def hermes_letters(make_letter):
    make_letter("Is my Hermès Kelly real?", letter="<p>A vintage Hermès Kelly from Paris.</p>")
    make_letter("An Hermès scarf?", answer=answer("Hermès scarves are silk twill."))
    make_letter("Unrelated?", letter="<p>A plain tote.</p>")


# --- accents ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["hermes", "Hermès", "HERMES", "hermès"])
def test_accents_are_ignored_in_the_query_and_the_text(client, hermes_letters, query):
    soup = page(client, query)
    assert sorted(titles(soup)) == ["An Hermès scarf?", "Is my Hermès Kelly real?"]
    assert summary(soup).startswith("2 letters for")


@pytest.mark.django_db
def test_an_accented_query_finds_the_text_written_without(client, make_letter):
    make_letter("A cafe question?", letter="<p>We met at the cafe by the boutique.</p>")
    assert titles(page(client, "café")) == ["A cafe question?"]


@pytest.mark.django_db
def test_the_snippet_marks_the_accented_word_for_a_query_without_accents(client, make_letter):
    make_letter("A scarf?", letter="<p>My aunt's Hermès scarf came today.</p>")
    soup = page(client, "hermes")
    marks = [mark.get_text() for mark in soup.select(".search-result__snippet mark")]
    assert marks == ["Hermès"]


# --- the vocabulary ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_keeps_the_live_words_with_their_pages(make_letter):
    make_letter("Is my Hermès Kelly real?", letter="<p>A vintage Kelly.</p>")
    make_letter("Another Kelly?", letter="<p>Hello.</p>")
    vocabulary = words()
    assert vocabulary["hermès"] == 1
    assert vocabulary["kelly"] == 2
    assert SearchWord.objects.get(word="hermès").folded == "hermes"
    assert "is" not in vocabulary  # shorter than three letters


@pytest.mark.django_db
def test_a_republished_letter_gives_only_its_new_words(make_letter):
    letter = make_letter("A question?", letter="<p>About my wombat.</p>")
    assert "wombat" in words()
    letter.letter = "<p>About my platypus.</p>"
    letter.save_revision().publish()
    vocabulary = words()
    assert "wombat" not in vocabulary
    assert vocabulary["platypus"] == 1
    assert PageSearchWords.objects.get(page_id=letter.pk).words.count("platypus") == 1


@pytest.mark.django_db
def test_unpublishing_or_deleting_a_letter_takes_its_words_back(make_letter):
    kept = make_letter("Kept?", letter="<p>The shared quokka.</p>")
    withdrawn = make_letter("Withdrawn?", letter="<p>A shared wombat and quokka.</p>")
    deleted = make_letter("Deleted?", letter="<p>A platypus.</p>")
    withdrawn.unpublish()
    deleted.delete()
    vocabulary = words()
    assert "wombat" not in vocabulary and "platypus" not in vocabulary
    assert vocabulary["quokka"] == 1
    assert vocabulary["shared"] == 1
    assert list(PageSearchWords.objects.values_list("page_id", flat=True)) == [kept.pk]


@pytest.mark.django_db
def test_a_drafts_words_are_never_suggested(client, column, make_letter):
    """A draft's revision, a never-published page and a withdrawn letter give no word."""
    from advice.models import LetterPage

    live = make_letter("A live letter?", letter="<p>About a satchel.</p>")
    live.letter = "<p>About a secret zeppelinmaker.</p>"
    live.save_revision()  # a draft of changes, not published
    draft = LetterPage(
        title="Draft zeppelinmaker?", slug="draft", letter="<p>zeppelinmaker</p>", live=False
    )
    column.add_child(instance=draft)
    draft.save_revision()
    make_letter("Withdrawn?", letter="<p>zeppelinmaker</p>").unpublish()
    assert not SearchWord.objects.filter(word__startswith="zeppelin").exists()
    assert suggest("zeppelinmakr") is None
    soup = page(client, "zeppelinmakr")
    assert soup.find(class_="search__correction") is None
    assert "zeppelinmaker" not in str(soup)


@pytest.mark.django_db
def test_a_restricted_letters_words_leave_and_come_back(make_letter):
    letter = make_letter("Private?", letter="<p>A wombat.</p>")
    restriction = PageViewRestriction.objects.create(
        page=letter, restriction_type="password", password="x"
    )
    assert "wombat" not in words()
    restriction.delete()
    assert words()["wombat"] == 1


@pytest.mark.django_db
def test_a_letter_moved_under_a_restricted_page_takes_its_words_back(
    column, home_page, make_letter
):
    from advice.models import AdviceIndexPage
    from testing.pages import publish_child

    private = publish_child(home_page, AdviceIndexPage(title="Private column", slug="private"))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    letter = make_letter("Moving?", letter="<p>A wombat.</p>")
    assert words()["wombat"] == 1
    letter.refresh_from_db()
    letter.move(Page.objects.get(pk=private.pk), pos="last-child")
    assert "wombat" not in words()
    letter.refresh_from_db()
    letter.move(Page.objects.get(pk=column.pk), pos="last-child")
    assert words()["wombat"] == 1


@pytest.mark.django_db
def test_a_very_long_unknown_word_is_not_corrected(make_letter):
    make_letter("Bags?", letter="<p>My bags.</p>")
    assert suggest("b" * 200) is None
    assert suggest("bagss") == "bags"


@pytest.mark.django_db
def test_the_command_rebuilds_what_publishing_keeps(make_letter, make_guide):
    make_letter("Is my Hermès Kelly real?", letter="<p>A vintage Kelly.</p>")
    make_guide("Caring for vachetta", "vachetta")
    kept, rows = words(), dict(PageSearchWords.objects.values_list("page_id", "words"))
    SearchWord.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_search_words", stdout=out)
    assert out.getvalue() == f"Search vocabulary: {len(kept)} words from 2 live pages.\n"
    assert words() == kept
    assert dict(PageSearchWords.objects.values_list("page_id", "words")) == rows
    assert rebuild() == (len(kept), 2)


# --- suggestions ------------------------------------------------------------------------------


def test_edit_distance_counts_a_swap_as_one():
    assert distance("hermmes", "hermes") == 1
    assert distance("hemres", "hermes") == 1
    assert distance("kelly", "kelly") == 0
    assert distance("bag", "tote") == 4


@pytest.mark.django_db
def test_a_misspelt_search_shows_the_corrected_results(client, hermes_letters):
    soup = page(client, "hermmes")
    correction = soup.find(class_="search__correction")
    assert correction.get_text(" ", strip=True) == (
        "Showing results for hermès — search instead for hermmes"
    )
    links = correction.find_all("a")
    assert [a.get_text() for a in links] == ["hermès", "hermmes"]
    assert links[1]["href"] == "?q=%22hermmes%22"
    assert sorted(titles(soup)) == ["An Hermès scarf?", "Is my Hermès Kelly real?"]
    assert summary(soup) == "2 letters for “hermès”."
    assert soup.find(class_="search__nothing") is None
    # The correction's link runs the search for it.
    assert sorted(titles(page(client, "hermès"))) == sorted(titles(soup))


@pytest.mark.django_db
@pytest.mark.parametrize("quoted", ['"hermmes"', "“hermmes”", ' "hermmes" '])
def test_the_words_as_typed_offer_did_you_mean(client, hermes_letters, quoted):
    """ "Search instead for hermmes" searches for it in quotes: as written, no correction."""
    soup = page(client, quoted)
    correction = soup.find(class_="search__correction")
    assert correction.get_text(" ", strip=True) == "Did you mean hermès ?"
    assert correction.find("a")["href"] == "?q=herm%C3%A8s"
    assert titles(soup) == []
    assert soup.find(class_="search__nothing") is not None
    followed = page(client, "hermès")
    assert sorted(titles(followed)) == ["An Hermès scarf?", "Is my Hermès Kelly real?"]


@pytest.mark.django_db
def test_each_unknown_word_is_corrected_and_known_ones_kept(hermes_letters):
    assert suggest("vintge hermmes") == "vintage hermès"
    assert suggest("vintage hermès") is None
    assert suggest("qwxzvb") is None


@pytest.mark.django_db
def test_the_more_used_word_is_suggested_among_equals(make_letter):
    make_letter("Bags?", letter="<p>My bags.</p>")
    make_letter("Bags again?", letter="<p>More bags.</p>")
    make_letter("Bogs?", letter="<p>The bogs.</p>")
    assert suggest("bigs") == "bags"


@pytest.mark.django_db
def test_a_search_that_finds_something_looks_for_no_suggestion(client, hermes_letters):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page(client, "kelly")
    assert not any("advice_searchword" in query["sql"] for query in queries)


@pytest.mark.django_db
def test_a_correction_that_finds_nothing_is_not_offered(client, make_letter):
    make_letter("Walleted?", letter="<p>A wallet.</p>")
    soup = page(client, "walet zeppelin")
    assert soup.find(class_="search__correction") is None
    assert summary(soup) == "No letters or guides for “walet zeppelin”."


# --- the count line and the page when nothing is found --------------------------------------


@pytest.mark.django_db
def test_the_count_line_counts_letters_and_guides(client, make_letter, make_guide):
    for n in range(3):
        make_letter(f"Vachetta {n}?", letter="<p>Vachetta care.</p>")
    make_guide("Looking after vachetta", "vachetta-care")
    make_guide("Looking after a tote", "tote-care")
    assert summary(page(client, "vachetta")) == "3 letters and 1 guide for “vachetta”."
    assert summary(page(client, "looking")) == "2 guides for “looking”."
    assert summary(page(client, "zeppelin")) == "No letters or guides for “zeppelin”."
    make_letter("Only one tote?", letter="<p>tote</p>")
    assert summary(page(client, "tote")) == "1 letter and 1 guide for “tote”."


@pytest.mark.django_db
def test_the_count_line_counts_guides_on_later_pages_and_past_five(client, make_letter, make_guide):
    for n in range(7):
        make_guide(f"Tote guide {n}", f"tote-guide-{n}")
    for n in range(11):
        make_letter(f"Tote question {n}?", letter="<p>About my tote.</p>")
    first = page(client, "tote")
    assert len(titles(first, "guide-results")) == 5
    assert summary(first) == "11 letters and 7 guides for “tote”."
    assert summary(page(client, "tote", page=2)) == "11 letters and 7 guides for “tote”."


@pytest.mark.django_db
def test_nothing_found_cards_have_the_serif_title_of_every_card(client, make_letter):
    for n in range(3):
        make_letter(f"Letter {n}?")
    soup = page(client, "zeppelin")
    cards = soup.select(".search__latest .card")
    assert len(cards) == 3
    assert all(card.find(class_="card__title") for card in cards)
    css = (ROOT / "static" / "css" / "site.css").read_text()
    rule = re.search(r"^\.card__title \{([^}]*)\}", css, re.MULTILINE).group(1)
    assert "font-family: var(--serif)" in rule


@pytest.mark.django_db
def test_nothing_found_invites_the_reader_to_write_in(client, column, make_letter, monkeypatch):
    """The page draws the columns' "write_in" slot (advice.plugins), whatever app fills it."""
    monkeypatch.setitem(
        plugins._fragments, "write_in", [lambda context, column: f"Write to {column.title}"]
    )
    make_letter()
    soup = page(client, "zeppelin")
    assert soup.find(class_="search__write-in").get_text() == f"Write to {column.title}"
    found = page(client, "letter")
    assert found.find(class_="search__write-in") is None


@pytest.mark.django_db
def test_the_search_template_names_no_app_above_the_column():
    template = (ROOT / "templates" / "advice" / "search.html").read_text()
    assert "mailbag" not in template
    assert '{% column_fragments "write_in" column=column %}' in template


@pytest.mark.django_db
def test_the_query_budgets_of_a_search_a_correction_and_nothing_found(
    client, make_letter, django_assert_max_num_queries
):
    """A search that finds something asks what it asked before there were corrections (11 on
    both databases); a misspelt one adds the lookup (the known words, then the candidates of
    each unknown word: one query on SQLite, two on PostgreSQL) and the corrected search; one
    that finds nothing adds the topics, the latest letters and the columns. On SQLite a word
    that matches no page skips both lists (14 and 15 queries; 20 and 21 on PostgreSQL)."""
    for n in range(3):
        make_letter(f"Leather {n}?", letter="<p>A leather bag.</p>")
    page(client, "leather")  # the site's root paths and content types, cached
    with django_assert_max_num_queries(12):
        page(client, "leather")
    with django_assert_max_num_queries(21):
        assert titles(page(client, "lether"))[0] == "Leather 2?"
    with django_assert_max_num_queries(22):
        assert titles(page(client, "zeppelin")) == []


@pytest.mark.django_db
def test_the_upgrade_makes_an_existing_indexs_vectors_ignore_accents(client, hermes_letters):
    """PostgreSQL only (SQLite's FTS5 table has folded accents since advice 0010): an index
    built with the "english" configuration, as before advice 0021, finds "Hermès" for "hermes"
    once the migration has made its vectors again."""
    from importlib import import_module
    from types import SimpleNamespace

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the migration changes nothing on SQLite")
    migration = import_module("advice.migrations.0021_search_ignores_accents")
    with connection.cursor() as cursor:
        migration.revectorise(cursor, "english")  # the index as an older site has it
    assert titles(page(client, "hermes")) == []
    migration.unaccent(None, SimpleNamespace(connection=connection))
    assert sorted(titles(page(client, "hermes"))) == [
        "An Hermès scarf?",
        "Is my Hermès Kelly real?",
    ]
