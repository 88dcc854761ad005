"""The old permalinks answering 301 to the new letters, and the summary the command prints."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from importer.models import ImportedPost
from importer.tests.fixture_import.helpers import letter


@pytest.mark.parametrize(
    "old",
    [
        "/2024/05/03/can-i-fix-a-scratch-on-my-kellys-flap/",
        "/2024/05/can-i-fix-a-scratch-on-my-kellys-flap/",
        "/can-i-fix-a-scratch-on-my-kellys-flap/",
        "/can-i-fix-a-scratch-on-my-kellys-flap",
        "/?p=101",
    ],
)
def test_old_permalinks_answer_301_to_the_new_letter(imported, client, old):
    response = client.get(old)
    assert response.status_code == 301
    assert (
        response["Location"]
        == letter(101).url
        == "/dear-pursebop/can-i-fix-a-scratch-on-my-kellys-flap/"
    )
    assert client.get(response["Location"]).status_code == 200


def test_redirects_are_permanent_page_redirects_for_live_letters_only(imported):
    redirects = Redirect.objects.all()
    # four old addresses for each of the nine posts public on WordPress that are live letters
    assert redirects.count() == 36
    assert {(r.is_permanent, r.site_id) for r in redirects} == {
        (True, imported["column"].get_site().pk)
    }
    assert all(r.redirect_page_id for r in redirects)
    by_page = {r.old_path: r.redirect_page.specific for r in redirects}
    assert all(page.live for page in by_page.values())
    assert by_page["/2024/05/05/do-i-tell-my-partner-what-the-bag-cost"] == letter(
        106
    )  # local date
    # Public on WordPress but kept for review here: its addresses wait for it to be published
    # (importer/tests/test_redirects.py), rather than answer 301 to a 404.
    assert "/?p=104" not in by_page
    assert ImportedPost.objects.get(wp_id=104).old_paths == [
        "/2024/05/16/my-strap-broke-after-a-month",
        "/2024/05/my-strap-broke-after-a-month",
        "/my-strap-broke-after-a-month",
        "/?p=104",
    ]
    assert "/?p=107" not in by_page and "/was-i-wrong-to-exchange-a-gift" not in by_page  # a draft
    assert ImportedPost.objects.get(wp_id=107).old_paths == []


def test_the_summary_reports_what_was_made_and_what_was_skipped(imported):
    out = imported["out"]
    assert out.startswith(
        "From PurseBop on WordPress (https://old.example) into the column Dear PurseBop "
        "(/dear-pursebop/), in "
    )
    for line in (
        "  Letters:    9 published, 3 kept as drafts (2 not public on WordPress: drafts, "
        "scheduled, private or password-protected posts; 1 published there but not in the "
        "letter's shape), 1 needing review",
        "  Replies:    16 approved, 2 awaiting moderation (2 hung higher: WordPress threads go "
        "deeper than ours; 1 under an earlier reply: their parent was skipped)",
        "  Images:     4 imported; 1 not found (listed below)",
        "  Redirects:  36 from old addresses (permanent); 4 more when their letters are published",
        "  Created:    4 topics (Leather, Buying, Resale, Special orders), 1 columnist (Morgan Vale)",
        "  Skipped posts:    1 in the trash, 1 of type 'page' (not posts), 2 outside the category "
        "'dear-pursebop'",
        "  Skipped comments: 1 pingback, 1 trackback, 1 in the trash, 1 spam, 1 with no text once "
        "markup is removed",
        "    - 2024/05/damp-wardrobe.png: file missing (post 105)",
        f'    - "My strap broke after a month: what now?" (post 104, published on WordPress): no greeting '
        f"'Dear PurseBop,' in a paragraph of its own; /admin/pages/{letter(104).pk}/edit/",
    ):
        assert line in out.splitlines(), line
    assert imported["err"] == "12/12 posts\n"  # not a terminal: plain progress lines
