"""The fixture's posts as letters: which become letters, how each is split into the letter,
pen name and answer, their dates, columnists, topics and images, the drafts kept for review,
and hostile markup never stored or shown."""

import datetime
import html

import pytest
from wagtail.images import get_image_model

from advice.models import Columnist, LetterPage, Topic
from importer.models import ImportedImage, ImportedPost
from importer.tests.fixture_import.helpers import answer_types, letter

UTC = datetime.UTC


def test_published_posts_in_the_category_are_letters_and_the_rest_is_accounted_for(imported):
    column = imported["column"]
    live = LetterPage.objects.child_of(column).live()
    assert sorted(ImportedPost.objects.values_list("wp_id", flat=True)) == [
        *range(101, 109),
        *range(112, 116),
    ]
    assert sorted(page.slug for page in live) == sorted(
        [
            "can-i-fix-a-scratch-on-my-kellys-flap",
            "should-i-buy-on-resale-or-keep-waiting",
            "is-it-silly-to-want-a-special-order",
            "how-do-i-store-bags-in-a-damp-flat",
            "do-i-tell-my-partner-what-the-bag-cost",
            "which-colour-goes-with-everything",
            "can-i-carry-a-work-tote-to-a-wedding",
            "is-a-vintage-bag-worth-repairing",
            "do-dust-bags-really-matter",
        ]
    )
    # A draft and a private post are kept as drafts; news, a gift guide (other categories), a
    # trashed post and a page are not imported at all.
    for number in (107, 108):
        assert not letter(number).live and letter(number).pen_name not in {"", "A reader"}
    titles = set(LetterPage.objects.values_list("title", flat=True))
    assert not titles & {
        "Site news: the column has a new look",
        "Ten gifts for the bag lover in your life",
        "An old post nobody wanted",
        "About PurseBop",
    }


def test_a_letter_is_split_into_its_letter_pen_name_and_answer(imported):
    page = letter(101)
    assert page.title == "Can I fix a scratch on my Kelly's flap?"
    assert page.slug == "can-i-fix-a-scratch-on-my-kellys-flap"
    assert page.letter == (
        "<p>Last spring I finally bought my first Kelly, in a warm tan leather I had wanted for "
        "years. Last week I caught the flap on a car door and now there is a pale scratch, about "
        "two centimetres long, right across the front. I feel <i>sick</i> every time I look at "
        "it.</p><p>Is this something I can fix at home, or will I make it worse? Should I send it "
        "back to the boutique for a spa treatment?</p>"
    )
    assert (page.pen_name, page.salutation, page.get_salutation()) == (
        "Scratched in Seattle",
        "",
        "Dear Scratched in Seattle:",
    )
    assert page.dek == "A pale scratch on a new bag is rarely the end of the world."
    assert answer_types(page) == [
        "paragraph",
        "heading",
        "paragraph",
        "image",
        "paragraph",
        "pull_quote",
        "paragraph",
    ]
    blocks = list(page.answer)
    assert blocks[0].value.source.startswith("<p>First, breathe.")
    assert blocks[1].value == "Try your fingertip first"
    assert blocks[5].value["quote"] == "Leather remembers being cared for."
    figure = blocks[3].value
    assert figure["caption"] == "A little conditioner goes a long way."
    assert figure["image"].title == "Conditioner and cloth"
    assert (
        figure["image"].contextual_alt_text == "A tin of leather conditioner beside a folded cloth"
    )


@pytest.mark.parametrize(
    "number, pen_name, salutation, first_answer",
    [
        (102, "Patient Paula", "Dear Patient Paula,", "Eleven months is a long time"),
        (103, "Dreaming in Denver", "", "It is not silly to want something"),
        (106, "Keeping Count", "Dear Keeping Count,", "Tell the truth, and tell it soon."),
        (112, "Torn Between Two Tans", "Dear Torn Between Two Tans,", "Look at your shoes"),
        (113, "Wedding Guest", "", "Yes, with one condition."),
    ],
)
def test_each_signature_and_salutation_shape_is_understood(
    imported, number, pen_name, salutation, first_answer
):
    page = letter(number)
    assert page.live
    assert (page.pen_name, page.salutation) == (pen_name, salutation)
    first = next(block for block in page.answer if block.block_type == "paragraph")
    assert html.unescape(first.value.source).startswith(f"<p>{first_answer}")
    assert "Dear" not in page.letter and pen_name not in page.letter


def test_block_editor_headings_lists_and_quotes_become_answer_blocks(imported):
    page = letter(103)
    assert answer_types(page) == [
        "paragraph",
        "heading",
        "paragraph",
        "pull_quote",
        "paragraph",
    ]
    blocks = list(page.answer)
    assert blocks[1].value == "Three questions before you sign"
    assert blocks[2].value.source.startswith("<ul><li>Will you still love the colour")
    assert "<b>checking</b>" in blocks[2].value.source
    assert dict(blocks[3].value) == {
        "quote": "Order the bag you will carry, not the one you will photograph.",
        "attribution": "A sales associate, years ago",
    }


def test_replies_stay_closed_where_wordpress_closed_comments(imported):
    assert not letter(114).allow_replies
    assert letter(101).allow_replies


def test_dates_are_the_gmt_publication_dates(imported):
    page = letter(106)  # 21:30 on 5 May in WordPress's time zone, 01:30 on 6 May in GMT
    moment = datetime.datetime(2024, 5, 6, 1, 30, tzinfo=UTC)
    assert page.date == datetime.date(2024, 5, 6)
    assert (page.first_published_at, page.last_published_at) == (moment, moment)
    assert letter(113).date == datetime.date(2023, 11, 14)
    draft = letter(107)  # a draft has no GMT date: its local one, and no publication yet
    assert draft.date == datetime.date(2024, 5, 25) and draft.first_published_at is None


def test_authors_become_columnists_matched_by_name_or_created(imported):
    assert letter(101).columnist == imported["avery"]
    morgan = letter(113).columnist
    assert (morgan.name, morgan.slug) == ("Morgan Vale", "morgan-vale")
    assert Columnist.objects.count() == 2


def test_categories_and_tags_asked_for_become_topics_without_the_chosen_category(imported):
    assert set(letter(101).topics.all()) == {imported["care"], Topic.objects.get(slug="leather")}
    assert {t.slug for t in letter(103).topics.all()} == {"buying", "special-orders"}
    assert Topic.objects.get(slug="special-orders").name == "Special orders"
    # The column's own category and WordPress's "Uncategorized" say nothing about a letter.
    assert not Topic.objects.filter(slug__in=["dear-pursebop", "uncategorized"]).exists()
    assert not letter(113).topics.exists()


def test_featured_and_inline_images_come_from_the_uploads_folder(imported):
    hero = letter(101).hero_image
    assert (hero.title, hero.description) == (
        "Tan Kelly flap",
        "A tan leather handbag with a flap and a top handle",
    )
    assert (hero.width, hero.height) == (240, 160)
    assert letter(115).hero_image.title == "Dust bags on a shelf"
    # The inline image is WordPress's resized copy ("-300x200"): the original is imported,
    # with the attachment's alt text since the <img> had none.
    (figure,) = [block.value for block in letter(112).answer if block.block_type == "image"]
    assert figure["image"].title == "Neutral swatches"
    assert figure["image"].contextual_alt_text == "Four leather swatches from taupe to camel"
    assert letter(105).hero_image is None  # its file is missing
    assert sorted(ImportedImage.objects.values_list("path", flat=True)) == [
        "2024/05/conditioner-and-cloth.png",
        "2024/05/dust-bags-on-a-shelf.png",
        "2024/05/neutral-swatches.png",
        "2024/05/tan-kelly-flap.png",
    ]
    assert get_image_model().objects.count() == 4


def test_a_post_that_breaks_the_pattern_waits_as_a_draft_for_review(imported):
    page = letter(104)
    assert not page.live and page.has_unpublished_changes
    # No pen name: the answer opens with the column's default salutation (none here), never
    # "Dear A reader:".
    assert (page.letter, page.pen_name, page.get_salutation()) == ("", "", "")
    assert [block.value.source for block in page.answer] == [
        "<p>A quick note before this week's letter: several of you asked about straps, so here "
        "is what I tell everyone.</p>",
        "<p>A strap that breaks within a month is a fault, not wear. Keep the receipt, "
        "photograph the break, and go back to the shop in person.</p>",
        "<p>Most shops will repair or replace it without argument.</p>",
    ]
    # Publishing it later keeps the date it was first published on WordPress.
    assert page.first_published_at == datetime.datetime(2024, 5, 16, 12, tzinfo=UTC)
    assert page.get_latest_revision().as_object().pen_name == ""


def test_hostile_markup_in_a_post_is_never_stored_or_shown(imported, client):
    page = letter(112)
    stored = page.letter + str(page.answer.raw_data)
    for bad in (
        "<script",
        "hacked",
        "<style",
        "<iframe",
        "onclick",
        "javascript:",
        "video.example",
    ):
        assert bad not in stored, bad
    # A relative link on the old site points at it, to be caught by its redirects.
    assert (
        '<a href="https://old.example/2024/05/03/can-i-fix-a-scratch-on-my-kellys-flap/">' in stored
    )
    body = client.get(page.url).content.decode()
    assert "hacked" not in body and "javascript:" not in body
