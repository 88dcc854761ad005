import pytest
from wagtail.images import get_image_model

from testing.pages import delete_image_files


@pytest.fixture(autouse=True)
def _remove_image_files(db):
    """Each test imports into a fresh site; the image files it wrote go with it."""
    yield
    delete_image_files(get_image_model().objects.all())
