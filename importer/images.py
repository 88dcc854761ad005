"""Pictures for imported letters: each attachment or <img> read from a local copy of the
site's wp-content/uploads (nothing is downloaded), imported once per path; what cannot be read
is listed once with every post that uses it. A dry run reads and counts, and saves nothing."""

import io
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.images import get_image_model

from guard.images import check_image_upload
from importer.models import ImportedImage
from importer.names import strip_tags

_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")


class Images:
    """The importer's pictures (a part of importer.importing.Importer)."""

    def upload_path(self, url, relative=False):
        """The path of an uploaded file under wp-content/uploads/, from its address (or, with
        `relative`, as WordPress's _wp_attached_file holds it), or "" for anything else."""
        if relative:
            path = url
        else:
            address = urlsplit(url or "")
            if "/uploads/" not in address.path:
                return ""
            path = address.path.split("/uploads/", 1)[1]
        return unquote(path).strip().lstrip("/")

    def featured_image(self, post):
        number = post.meta.get("_thumbnail_id", "")
        return self.image("", int(number), post) if number.isdigit() else None

    def image(self, src, attachment_id, post):
        """The Wagtail image for an attachment or an <img> address, imported from the uploads
        folder when first met; None (and a line in the report) when it cannot be."""
        attachment = self.export.attachments.get(attachment_id) if attachment_id else None
        path = ""
        if attachment is not None:
            path = self.upload_path(
                attachment.meta.get("_wp_attached_file", ""), relative=True
            ) or self.upload_path(attachment.attachment_url)
        if not path and src:
            path = self.upload_path(src)
            original = _SIZE_SUFFIX.sub("", path)
            if original in self.by_path:  # a resized copy ("-300x200"): the original
                path, attachment = original, self.by_path[original]
            elif path in self.by_path:
                attachment = self.by_path[path]
        if not path:
            if src:
                self.report.missing.append((src, "not an uploaded file", post.id))
            elif attachment_id:
                self.report.missing.append(
                    (f"attachment {attachment_id}", "not in the export", post.id)
                )
            return None
        if path in self._images:
            if path in self._missing:  # listed once, with every post that uses it
                self.report.missing.append((path, self._missing[path], post.id))
            return self._images[path]
        image = self._load_image(path, attachment, post)
        self._images[path] = image
        return image

    def _load_image(self, path, attachment, post):
        record = ImportedImage.objects.filter(source=self.source, path=path).first()
        if record is not None:
            return record.image
        data, why = self._read_upload(path)
        if data is None:
            self._missing[path] = why
            self.report.missing.append((path, why, post.id))
            return None
        self.report.images += 1
        title = " ".join(strip_tags(attachment.title if attachment else "").split())
        alt = attachment.meta.get("_wp_attachment_image_alt", "") if attachment else ""
        image = get_image_model()(
            title=(title or Path(path).stem.replace("-", " "))[:255], description=alt[:255]
        )
        wp_id = attachment.id if attachment else None
        self.writes.image(image, data, self.source, path, wp_id)
        self.log(f"  + image {path}", 2)
        return image

    def _read_upload(self, path):
        """The bytes of an uploaded image, or (None, why not)."""
        if self.uploads is None:
            return None, "no --uploads folder given"
        file = (self.uploads / path).resolve()
        if not file.is_relative_to(self.uploads):
            return None, "outside the uploads folder"
        if not file.is_file():
            return None, "file missing"
        data = file.read_bytes()
        try:
            check_image_upload(io.BytesIO(data))  # its size, from the header: no decoding yet
        except ValidationError as refusal:
            if refusal.code == "file_too_many_pixels":
                return None, f"more than {refusal.params['most']:,} pixels"
            return None, "not a readable image"
        try:
            with PILImage.open(io.BytesIO(data)) as picture:
                picture.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return None, "not a readable image"
        return data, ""
