"""Uploaded files: documents only through Wagtail's document view, which applies collection
privacy; the media route (make run, development) serves images and renditions, nothing else."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from testing.pages import delete_image_files, ensure_page_tree_root, make_image


@pytest.fixture
def documents(db):
    """A document in a collection restricted to signed-in users, and a public one."""
    root = ensure_page_tree_root() and Collection.get_first_root_node()
    private = root.add_child(name="Private papers")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    Document = get_document_model()
    secret = Document.objects.create(
        title="Secret",
        file=ContentFile(b"for staff only", name="secret-plan.txt"),
        collection=private,
    )
    public = Document.objects.create(
        title="Public", file=ContentFile(b"for everyone", name="care-sheet.txt"), collection=root
    )
    yield secret, public
    for document in (secret, public):
        document.file.delete(save=False)


def media_url(document):
    return f"/media/{document.file.name}"


def test_a_private_document_is_refused_at_both_addresses(client, documents):
    secret, _public = documents
    assert secret.file.name.startswith("documents/")
    response = client.get(secret.url)
    assert response.status_code == 302
    assert "/_util/login/" in response["Location"]
    response = client.get(media_url(secret))
    assert response.status_code == 404
    assert b"for staff only" not in response.content


def test_a_public_document_is_served_by_wagtails_view_not_the_media_route(client, documents):
    _secret, public = documents
    response = client.get(public.url)
    assert response.status_code == 200  # served, not redirected to the file's address
    assert b"".join(response.streaming_content) == b"for everyone"
    assert client.get(media_url(public)).status_code == 404


def test_the_media_route_serves_images_and_renditions_only(client, documents):
    _secret, public = documents
    image = make_image()
    try:
        rendition = image.get_rendition("fill-16x10")
        for name in (image.file.name, rendition.file.name):
            response = client.get(f"/media/{name}")
            assert response.status_code == 200, name
        # Climbing out of the images' folders reaches nothing else.
        for path in (
            f"/media/original_images/../{public.file.name}",
            f"/media/images/%2e%2e/{public.file.name}",
            "/media/",
            "/media/original_images/",
        ):
            assert client.get(path).status_code == 404, path
    finally:
        delete_image_files([image])
