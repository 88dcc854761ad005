"""The admin's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): an upload's size is checked from
its header (guard.images.check_image_upload) before Wagtail's own field opens it, so a refused
image is never decoded. Every image upload in the admin (the image editor, the multiple
uploader, the chooser's upload tab) is made from this form."""

from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from guard.images import check_image_upload


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, with the header check first: Wagtail's checks open the file
    with Pillow, whose WebP and AVIF readers allocate the whole picture on opening."""

    def to_python(self, data):
        if data is not None and hasattr(data, "read"):
            check_image_upload(data)
        return super().to_python(data)


class CheckedImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if type(field) is WagtailImageField:
            # Wagtail builds the field itself (formfield_for_dbfield, passed to the form
            # factory); the subclass only adds a check before its own, and keeps its state.
            field.__class__ = CheckedImageField
