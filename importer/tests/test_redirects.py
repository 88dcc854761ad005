"""Old addresses redirect only to letters readers can see: a letter kept for review gains its
redirects when an editor publishes it and loses them when it is unpublished (a redirect to a
page that is not live answered 301 to a 404)."""

import io

from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect

from importer.models import ImportedPost
from testing.wordpress import export_xml, letter_body, post_xml

OLD = ["/2024/05/03/a-note", "/2024/05/a-note", "/a-note", "/?p=1"]  # as stored (normalised)
ASKED = ["/2024/05/03/a-note/", "/2024/05/a-note/", "/a-note/", "/?p=1"]  # as readers ask


def run(export):
    out = io.StringIO()
    call_command("import_wordpress", str(export), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write_export(tmp_path, *posts):
    path = tmp_path / "export.xml"
    path.write_text(export_xml(list(posts)), encoding="utf-8")
    return path


def test_a_letter_kept_for_review_redirects_once_published_and_not_after_unpublishing(
    column, client, tmp_path
):
    export = write_export(tmp_path, post_xml(1, "A note", "No greeting, no letter.", name="a-note"))
    out = run(export)
    assert "Redirects:  0 from old addresses (permanent); 4 more when their letters are " in out
    page = ImportedPost.objects.get(wp_id=1).page
    assert not page.live
    assert not Redirect.objects.exists()
    assert [client.get(old).status_code for old in ASKED] == [404, 404, 404, 200]  # 200: home

    # An editor splits the letter from the answer and publishes it.
    page.letter, page.pen_name = "<p>Is it real?</p>", "Doubter"
    page.save_revision().publish()
    assert sorted(Redirect.objects.values_list("old_path", flat=True)) == sorted(OLD)
    for old in ASKED:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, page.url), old
        assert client.get(response["Location"]).status_code == 200

    # Published again, nothing doubles; a second import run adds nothing either.
    page.refresh_from_db()
    page.save_revision().publish()
    assert Redirect.objects.count() == 4
    assert "and 4 redirects of this export were imported before" in run(export)
    assert Redirect.objects.count() == 4

    page.refresh_from_db()
    page.unpublish()
    assert not Redirect.objects.exists()
    assert client.get("/a-note/").status_code == 404


def test_unpublishing_keeps_redirects_that_were_not_the_imports(column, tmp_path):
    body = letter_body("Is it real?", "Doubter", "It is.")
    export = write_export(tmp_path, post_xml(1, "A note", body, name="a-note"))
    run(export)
    page = ImportedPost.objects.get(wp_id=1).page
    assert page.live and Redirect.objects.count() == 4
    # An editor's own redirect to the letter, and the import's redirect of another address.
    Redirect.objects.create(old_path="/by-hand", redirect_page=page)
    page.unpublish()
    assert list(Redirect.objects.values_list("old_path", flat=True)) == ["/by-hand"]
