"""Upload limits in the admin: images by file size and pixel count (a small file can decode
to a huge bitmap: renditions of one took a worker from 145 MB to 1.15 GB), documents by size."""

import io
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from testing.images import avif_claiming, drawn, isobmff_bomb, webp_bomb
from testing.pages import ensure_page_tree_root

MB = 1024 * 1024
DOCUMENT_CAP = 20 * MB


def png(size, mode="1"):
    """A PNG drawn in memory: one colour, so even a huge one is a small file."""
    buffer = io.BytesIO()
    PILImage.new(mode, size).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def root_collection(db):
    ensure_page_tree_root()
    return Collection.get_first_root_node()


def upload_image(client, content, name="upload.png"):
    file = SimpleUploadedFile(name, content, content_type="image/png")
    return client.post("/admin/images/add/", {"title": "Upload", "file": file, "tags": ""})


def test_the_limits_are_set():
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * MB
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == DOCUMENT_CAP


def test_an_image_of_too_many_pixels_is_refused_however_small_its_file(
    admin_client, root_collection
):
    content = png((11_300, 11_300))  # the reported upload: 128 million pixels
    assert len(content) < 1 * MB
    response = upload_image(admin_client, content)
    assert response.status_code == 200  # the form again, with its error
    assert "This image has more than 40,000,000 pixels, the most we take." in (
        response.content.decode()
    )
    assert not get_image_model().objects.exists()


def test_an_image_within_the_limits_is_accepted(admin_client, root_collection):
    image = None
    try:
        response = upload_image(admin_client, png((4_000, 3_000)))  # 12 million pixels
        assert response.status_code == 302
        image = get_image_model().objects.get()
        assert (image.width, image.height) == (4_000, 3_000)
    finally:
        if image is not None:
            image.file.delete(save=False)


BOMBS = [
    pytest.param("bomb.webp", webp_bomb(11_000, 11_000), "11,000 × 11,000", id="webp"),
    pytest.param("bomb.avif", isobmff_bomb(8_000, 8_000), "8,000 × 8,000", id="avif"),
    pytest.param("real.avif", avif_claiming(8_000, 8_000), "8,000 × 8,000", id="avif-rewritten"),
]


@pytest.fixture
def pillow_opens():
    """How many times Pillow opened a file (its WebP and AVIF readers allocate the whole
    picture on opening)."""
    calls = []
    real = PILImage.open
    with mock.patch.object(PILImage, "open", lambda *a, **k: calls.append(a) or real(*a, **k)):
        yield calls


@pytest.mark.parametrize("name, content, size", BOMBS)
def test_a_huge_webp_or_avif_is_refused_before_anything_decodes_it(
    admin_client, root_collection, pillow_opens, name, content, size
):
    file = SimpleUploadedFile(name, content, content_type="image/webp")
    response = admin_client.post(
        "/admin/images/add/", {"title": "Kept title", "file": file, "tags": ""}
    )
    assert response.status_code == 200  # the form again, with its error
    page = response.content.decode()
    assert f"This image is {size} pixels" in page
    assert "the most we take is 40,000,000 pixels. Make it smaller and upload it again." in page
    assert 'value="Kept title"' in page
    assert pillow_opens == []
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize("name, content, size", BOMBS)
def test_the_multiple_uploader_refuses_a_huge_webp_or_avif_unopened(
    admin_client, root_collection, pillow_opens, name, content, size
):
    response = admin_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile(name, content), "collection": root_collection.pk},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    answer = response.json()
    assert answer["success"] is False
    assert f"This image is {size} pixels" in answer["error_message"]
    assert pillow_opens == []
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize("name, format", [("small.avif", "AVIF"), ("small.webp", "WEBP")])
def test_a_small_avif_or_webp_is_accepted(admin_client, root_collection, name, format):
    image = None
    try:
        file = SimpleUploadedFile(name, drawn(format, (64, 48)))
        response = admin_client.post(
            "/admin/images/add/", {"title": "Small", "file": file, "tags": ""}
        )
        assert response.status_code == 302
        image = get_image_model().objects.get()
        assert (image.width, image.height) == (64, 48)
    finally:
        if image is not None:
            image.file.delete(save=False)


def sparse_upload(name, size):
    """An uploaded file of `size` bytes that takes no room on disk (a hole, then one byte)."""
    upload = TemporaryUploadedFile(name, "application/pdf", size, None)
    upload.seek(size - 1)
    upload.write(b"\0")
    upload.seek(0)
    return upload


def upload_document(client, upload, collection):
    return client.post(
        "/admin/documents/add/",
        {"title": "Upload", "file": upload, "collection": collection.pk, "tags": ""},
    )


def test_a_document_over_the_size_cap_is_refused(admin_client, root_collection):
    upload = sparse_upload("big.pdf", DOCUMENT_CAP + 1)
    response = upload_document(admin_client, upload, root_collection)
    assert response.status_code == 200
    assert "This file is too big (20.0" in response.content.decode()
    assert not get_document_model().objects.exists()


def test_a_document_at_the_size_cap_is_accepted(admin_client, root_collection):
    upload = sparse_upload("cap.pdf", DOCUMENT_CAP)
    response = upload_document(admin_client, upload, root_collection)
    assert response.status_code == 302
    document = get_document_model().objects.get()
    try:
        assert document.file.size == DOCUMENT_CAP
    finally:
        document.file.delete(save=False)


def test_the_multiple_uploader_refuses_an_oversized_document(admin_client, root_collection):
    upload = sparse_upload("big.pdf", DOCUMENT_CAP + 1)
    response = admin_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": upload, "collection": root_collection.pk},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.json()["success"] is False
    assert not get_document_model().objects.exists()
