"""Upload limits in the admin: images by file size and pixel count (a small file can decode
to a huge bitmap: renditions of one took a worker from 145 MB to 1.15 GB), documents by size."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

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


# Pillow warns of a "decompression bomb" on opening it, as it should: that is the point.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_of_too_many_pixels_is_refused_however_small_its_file(
    admin_client, root_collection
):
    content = png((11_300, 11_300))  # the reported upload: 128 million pixels
    assert len(content) < 1 * MB
    response = upload_image(admin_client, content)
    assert response.status_code == 200  # the form again, with its error
    assert "too many pixels" in response.content.decode()
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
