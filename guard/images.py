"""Image bombs: an uploaded image's size checked before anything decodes it.

A small file can claim a huge picture: a 215 KB WebP of 11,000 × 11,000 took a worker to 2 GB
before Wagtail refused it, a 1 KB AVIF of 8,000 × 8,000 to 714 MB, because Pillow's WebP and
AVIF readers create their decoder (and its canvas) on opening, before any size check. So
check_image_upload reads a WebP's size from its RIFF header and an AVIF's or HEIF's from its
`ispe` box, and opens every other format with Pillow, which reads only the header (and, with
limit_pillow's settings, refuses a picture over the cap as it does). The admin's image form and
the WordPress importer both call it; limit_pillow runs at start-up (GuardConfig.ready).
"""

import struct
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image

HEADER_BYTES = 64  # enough for a WebP's size and an ISOBMFF file's first box header
META_BYTES = 1024 * 1024  # an AVIF's "meta" box (item properties) is a few hundred bytes
MAX_BOXES = 64  # top-level boxes walked looking for "meta" before giving up
ISOBMFF_BRANDS = {
    b"avif",
    b"avis",
    b"heic",
    b"heix",
    b"heim",
    b"heis",
    b"hevc",
    b"hevx",
    b"mif1",
    b"mif2",
    b"msf1",
    b"miaf",
}


def max_pixels():
    """The site's cap on an image's pixels (WAGTAILIMAGES_MAX_IMAGE_PIXELS)."""
    return settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


def limit_pillow():
    """Pillow refuses what the site refuses: its bomb limit is the site's cap, and the warning
    it gives past that limit is raised as an error (Pillow itself only raises past twice it)."""
    Image.MAX_IMAGE_PIXELS = max_pixels()
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


def too_many_pixels(width=None, height=None):
    """The refusal of a picture over the cap, with its size when it is known."""
    if width is None:
        message = f"This image has more than {max_pixels():,} pixels, the most we take."
    else:
        message = (
            f"This image is {width:,} × {height:,} pixels ({width * height:,} in all); "
            f"the most we take is {max_pixels():,} pixels."
        )
    return ValidationError(
        f"{message} Make it smaller and upload it again.",
        code="file_too_many_pixels",
        params={"most": max_pixels()},
    )


UNREADABLE = ValidationError(
    "We could not read this image’s size, so it was not taken. "
    "Save it again as a JPEG or PNG and upload that.",
    code="invalid_image",
)


def check_image_upload(file):
    """The (width, height) of an uploaded image file, or a ValidationError saying plainly why
    it is refused: more pixels than the site's cap, or a size that cannot be read. WebP and
    AVIF/HEIF sizes are read from their headers, so no decoder is made for a refused file.
    The file is left at its start."""
    start = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(HEADER_BYTES)
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            size = webp_size(head)
        elif head[4:8] == b"ftyp":
            size = isobmff_size(file, head)
        else:
            size = _pillow_size(file)
    finally:
        file.seek(start)
    if size is None:
        raise UNREADABLE
    width, height = size
    if width * height > max_pixels():
        raise too_many_pixels(width, height)
    return width, height


def webp_size(head):
    """A WebP's canvas (VP8X) or picture (VP8, VP8L) size from its first chunk, or None."""
    chunk = head[12:16]
    if chunk == b"VP8X" and len(head) >= 30:
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return width, height
    if chunk == b"VP8 " and len(head) >= 30 and head[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(head) >= 25 and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _boxes(data, start=0, end=None):
    """(type, payload start, payload end) of each ISOBMFF box in data[start:end]; stops at a
    box that runs past the end."""
    end = len(data) if end is None else end
    position = start
    while position + 8 <= end:
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        header = 8
        if size == 1 and position + 16 <= end:
            size, header = struct.unpack(">Q", data[position + 8 : position + 16])[0], 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            return
        yield kind, position + header, position + size
        position += size


def _children(data, parents, wanted):
    """(start, end) of each box of type `wanted` directly inside the `parents` spans of data."""
    return [
        (start, end)
        for parent_start, parent_end in parents
        for kind, start, end in _boxes(data, parent_start, parent_end)
        if kind == wanted
    ]


def isobmff_size(file, head):
    """The largest picture an AVIF or HEIF file declares (its `ispe` properties: the primary
    image, a grid's whole and its tiles), read from its "meta" box without decoding; None when
    it is not such an image or declares no size."""
    major, compatible = head[8:12], head[16 : int.from_bytes(head[:4], "big")]
    brands = {major} | {compatible[i : i + 4] for i in range(0, len(compatible) - 3, 4)}
    if not brands & ISOBMFF_BRANDS:
        return None
    meta = _top_level_box(file, b"meta")
    if meta is None:
        return None
    sizes = []
    for properties in _children(meta, _children(meta, [(4, len(meta))], b"iprp"), b"ipco"):
        for start, end in _children(meta, [properties], b"ispe"):
            if end - start >= 12:  # a full box: version and flags, then width and height
                sizes.append(struct.unpack(">II", meta[start + 4 : start + 12]))
    return max(sizes, key=lambda size: size[0] * size[1]) if sizes else None


def _top_level_box(file, wanted):
    """The payload of the first top-level box of type `wanted`, walking the file's box
    headers (the picture's data is skipped, never read); None if not found or too large."""
    position = 0
    for _ in range(MAX_BOXES):
        file.seek(position)
        header = file.read(16)
        if len(header) < 8:
            return None
        size, kind = struct.unpack(">I4s", header[:8])
        length = 8
        if size == 1 and len(header) == 16:
            size, length = struct.unpack(">Q", header[8:16])[0], 16
        if size < length and size != 0:
            return None
        if kind == wanted:
            if size == 0 or size - length > META_BYTES:
                return None
            file.seek(position + length)
            payload = file.read(size - length)
            return payload if len(payload) == size - length else None
        if size == 0:
            return None
        position += size
    return None


def _pillow_size(file):
    """The size of any other image, from Pillow's reading of its header (no pixels decoded);
    None when Pillow does not know it. Past the cap Pillow's warning is an error
    (limit_pillow), raised before the size is known."""
    file.seek(0)
    try:
        with Image.open(file) as picture:
            return picture.size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise too_many_pixels() from None
    except (OSError, ValueError, EOFError):
        return None
