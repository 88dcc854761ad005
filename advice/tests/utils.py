"""Helpers shared by the column's tests."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model


def make_image(title="A handbag", colour="tan", size=(32, 20)):
    """A Wagtail image of a small PNG drawn in memory."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png")
    image.save()
    return image


def delete_image_files(images):
    """Remove the files of images and their renditions from MEDIA_ROOT.

    Wagtail deletes them on commit, which a test rolled back never reaches. MEDIA_ROOT itself
    stays as the test settings have it: config/urls.py reads it once, for serving media.
    """
    for image in images:
        for rendition in image.renditions.all():
            rendition.file.delete(save=False)
        image.file.delete(save=False)
