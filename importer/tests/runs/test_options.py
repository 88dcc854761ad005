"""What the options of `manage.py import_wordpress` choose: the column, category, topics
(mapped, or from tags), the posts left out; and how names and slugs are settled. Each test
imports into a fresh site."""

import pytest
from django.core.management.base import CommandError
from wagtail.contrib.redirects.models import Redirect

from advice.models import Columnist, LetterPage, Topic
from importer.models import ImportedPost
from importer.tests.runs.helpers import OPTIONS, counts, run
from testing.pages import add_column
from testing.wordpress import export_xml, letter_body, post_xml


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_a_topic_mapping_chooses_the_topics_and_creates_none(column, tmp_path, kind):
    care = Topic.objects.create(name="Care & repair", slug="care-repair")
    leather = Topic.objects.create(name="Leather care", slug="leather-care")
    mapping = tmp_path / f"topics.{kind}"
    if kind == "json":
        mapping.write_text(
            '{"care-and-repair": "care-repair", "leather": "leather-care", "buying": null}'
        )
    else:
        mapping.write_text(
            "wordpress,topic\ncare-and-repair,care-repair\nleather,leather-care\nbuying,\n"
        )
    out = run("--category=dear-pursebop", "--tags-as-topics", f"--topics={mapping}")
    assert Topic.objects.count() == 2
    page = ImportedPost.objects.get(wp_id=101).page
    assert set(page.topics.all()) == {care, leather}
    assert not ImportedPost.objects.get(wp_id=102).page.topics.exists()
    assert "  Terms not in the topic mapping: resale, special-orders" in out.splitlines()
    # Without --uploads, no image is imported, and the letters are.
    assert "  Images:     0 imported; 5 not found (listed below)" in out.splitlines()
    assert "    - 2024/05/tan-kelly-flap.png: no --uploads folder given (post 101)" in out
    assert page.live and page.hero_image is None


def test_a_mapping_to_a_missing_topic_stops_before_anything_is_written(column, tmp_path):
    mapping = tmp_path / "topics.json"
    mapping.write_text('{"care-and-repair": "no-such-topic"}')
    before = counts()
    with pytest.raises(CommandError, match="names topics that do not exist: no-such-topic"):
        run(f"--topics={mapping}")
    assert counts() == before


def test_the_column_is_chosen_by_slug_when_there_are_several(column, home_page):
    add_column(home_page, title="The Workbench", slug="the-workbench")
    with pytest.raises(CommandError, match=r"several columns \(dear-pursebop, the-workbench\)"):
        run(*OPTIONS)
    with pytest.raises(CommandError, match="No column with the slug 'nope'"):
        run(*OPTIONS, "--column=nope")
    # The greeting is the column's: these letters say "Dear PurseBop,", not "Dear Workbench,".
    out = run(*OPTIONS, "--column=the-workbench", "--dry-run")
    # Two were drafts or private on WordPress; the ten published there wait for review.
    assert (
        "  Letters:    0 published, 12 kept as drafts (2 not public on WordPress: drafts, "
        "scheduled, private or password-protected posts; 10 published there but not in the "
        "letter's shape), 12 needing review"
    ) in out.splitlines()
    assert "(post 107, draft on WordPress): no greeting" in out
    assert "into the column The Workbench (/the-workbench/)" in out


def test_an_unknown_category_is_an_error_naming_the_categories(column):
    with pytest.raises(CommandError) as error:
        run("--category=nope")
    assert "Its categories: buying, care-and-repair, dear-pursebop, news, uncategorized." in str(
        error.value
    )


def test_a_slug_taken_in_the_column_is_renamed_and_a_taken_old_address_left_alone(
    column, make_letter
):
    existing = make_letter("Dust bags, again", slug="do-dust-bags-really-matter")
    Redirect.objects.create(old_path="/do-dust-bags-really-matter", redirect_page=existing)
    out = run(*OPTIONS)
    page = ImportedPost.objects.get(wp_id=115).page
    assert page.slug == "do-dust-bags-really-matter-2"
    assert (
        "  Slugs taken in the column, so renamed: do-dust-bags-really-matter → "
        "do-dust-bags-really-matter-2"
    ) in out.splitlines()
    assert "    - /do-dust-bags-really-matter (post 115)" in out.splitlines()
    assert (
        Redirect.objects.get(old_path="/do-dust-bags-really-matter").redirect_page_id == existing.pk
    )
    moved = Redirect.objects.get(old_path="/2024/05/20/do-dust-bags-really-matter")
    assert moved.redirect_page_id == page.pk


def test_tags_become_topics_only_when_asked_or_mapped(column, tmp_path):
    out = run("--category=dear-pursebop", "--old-site=https://old.example")
    assert (
        "  Created:    2 topics (Care & repair, Buying), 2 columnists (Avery Stone, Morgan Vale)"
        in out
    )
    assert not Topic.objects.filter(slug__in=["leather", "resale", "special-orders"]).exists()

    ImportedPost.objects.all().delete()
    LetterPage.objects.all().delete()
    mapping = tmp_path / "topics.csv"
    mapping.write_text("leather,care-and-repair\n")  # a tag named in a mapping is used
    run("--category=dear-pursebop", f"--topics={mapping}")
    page = ImportedPost.objects.get(wp_id=101).page
    assert [topic.slug for topic in page.topics.all()] == ["care-and-repair"]


def test_a_dry_run_lists_categories_and_tags_with_their_posts_for_a_mapping(column):
    out = run("--category=dear-pursebop", "--dry-run").splitlines()
    start = out.index(
        "  Categories and tags, with their posts (for a --topics mapping: "
        "wordpress-slug,topic-slug; tags become topics only with --tags-as-topics):"
    )
    assert out[start + 1 : start + 8] == [
        "    - category dear-pursebop (Dear PurseBop): 12 posts",
        "    - category care-and-repair (Care & repair): 5 posts",
        "    - category buying (Buying): 3 posts",
        "    - category uncategorized (Uncategorized): 1 post",
        "    - tag leather (Leather): 4 posts",
        "    - tag resale (Resale): 2 posts",
        "    - tag special-orders (Special orders): 1 post",
    ]


def test_names_lose_stray_markup_and_a_missing_picture_is_listed_once(column, tmp_path):
    body = letter_body("Is it real?", "Doubter", "It is.")
    picture = '<img src="https://old.example/wp-content/uploads/2024/05/gone.png">'
    posts = [
        post_xml(n, f"Letter {n}", body + "\n\n" + picture, creator=creator)
        for n, creator in [(1, ">avery"), (2, "avery>"), (3, "<b>avery</b>")]
    ]
    authors = [("avery", 1, "<i>Avery</i> Stone\u202e", "avery@old.example")]
    export = tmp_path / "export.xml"
    export.write_text(export_xml(posts, authors=authors), encoding="utf-8")
    out = run(f"--uploads={tmp_path}", export=export)
    assert list(Columnist.objects.values_list("name", flat=True)) == ["Avery Stone"]
    assert {page.columnist.name for page in LetterPage.objects.all()} == {"Avery Stone"}
    missing = [line for line in out.splitlines() if "gone.png" in line]
    assert missing == ["    - 2024/05/gone.png: file missing (posts 1, 2, 3)"]


def test_posts_not_in_the_letters_shape_can_be_left_out_and_are_listed(column, tmp_path):
    body = letter_body("Is it real?", "Doubter", "It is.")
    posts = [
        post_xml(1, "A letter", body),
        post_xml(2, "A note", "Shop news, no letter."),
        post_xml(3, "A plan", "Next week's letters.", status="future"),
    ]
    export = tmp_path / "export.xml"
    export.write_text(export_xml(posts), encoding="utf-8")
    out = run("--unmatched=skip", export=export).splitlines()
    assert list(LetterPage.objects.values_list("title", flat=True)) == ["A letter"]
    start = out.index("  Not in the letter's shape, left out (--unmatched skip):")
    assert [line.split(": no greeting")[0] for line in out[start + 1 : start + 3]] == [
        '    - "A note" (post 2, published on WordPress)',
        '    - "A plan" (post 3, scheduled on WordPress)',
    ]
    # Left out is not imported: a later run that keeps them as drafts still can.
    out = run(export=export)
    assert sorted(LetterPage.objects.values_list("title", flat=True)) == [
        "A letter",
        "A note",
        "A plan",
    ]
    assert ", 2 needing review" in out


def test_imported_letters_are_marked_imported_so_nothing_announces_them(column, make_letter):
    written_here = make_letter("Written here")
    run(*OPTIONS)
    letters = LetterPage.objects.exclude(pk=written_here.pk)
    assert letters.count() == 12
    assert set(letters.values_list("imported", flat=True)) == {True}
    written_here.refresh_from_db()
    assert written_here.imported is False
    # The revisions say so too: publishing a draft later keeps the mark.
    draft = ImportedPost.objects.get(wp_id=107).page  # a draft on WordPress
    draft.get_latest_revision().publish()
    draft.refresh_from_db()
    assert draft.live and draft.imported
