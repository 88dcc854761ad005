"""Image bombs: an image's size is read from its header and checked against the site's cap
before anything decodes it (guard.images). A 215 KB WebP of 11,000 × 11,000 took a worker to
2 GB, a 1 KB AVIF of 8,000 × 8,000 to 714 MB, before Wagtail refused them: Pillow's WebP and
AVIF readers allocate the picture on opening. The admin's form and the WordPress importer
use the same check (advice/tests/test_uploads.py, importer/tests/runs/test_refusals.py)."""

import io
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from guard.images import check_image_upload
from testing import fuzz  # noqa: F401 - the hypothesis profiles (ATTACK=full: many examples)
from testing.images import avif_claiming, box, drawn, isobmff_bomb, webp_bomb


class Opened:
    """Counts Pillow's Image.open calls (every decoder is made through it)."""

    def __init__(self):
        self.calls = 0

    def __enter__(self):
        real = Image.open

        def counted(*args, **kwargs):
            self.calls += 1
            return real(*args, **kwargs)

        self.patch = mock.patch.object(Image, "open", counted)
        self.patch.start()
        return self

    def __exit__(self, *exc):
        self.patch.stop()


def refusal(data):
    with Opened() as opened, pytest.raises(ValidationError) as refused:
        check_image_upload(io.BytesIO(data))
    return refused.value, opened.calls


# Pillow's limit, as a process of the site has it once Django has started (pytest resets the
# warning filters around each test, so it is seen in a process of its own).
STARTED = """
import io, django
django.setup()
from PIL import Image
from testing.images import drawn
print(Image.MAX_IMAGE_PIXELS)
try:
    Image.open(io.BytesIO(drawn("PNG", (6_500, 6_500), mode="1")))  # 42 million pixels
except Image.DecompressionBombWarning:
    print("refused")
"""


def test_pillows_limit_is_the_sites_cap_and_its_warning_an_error():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    started = subprocess.run(
        [sys.executable, "-c", STARTED],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert started.stdout.split() == [str(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS), "refused"]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(webp_bomb(11_000, 11_000), id="webp-vp8x"),
        pytest.param(isobmff_bomb(8_000, 8_000), id="avif-crafted"),
        pytest.param(avif_claiming(8_000, 8_000), id="avif-rewritten"),
        pytest.param(isobmff_bomb(8_000, 8_000, brand=b"heic"), id="heif"),
    ],
)
def test_a_huge_webp_or_avif_is_refused_from_its_header_without_decoding(data):
    error, opened = refusal(data)
    assert opened == 0  # no decoder made: nothing allocated
    assert len(data) < 1_000
    (message,) = error.messages
    assert "pixels" in message and "the most we take is 40,000,000 pixels" in message
    assert "Make it smaller and upload it again." in message


def test_the_message_gives_the_size_it_read():
    error, _ = refusal(webp_bomb(11_000, 11_000))
    assert error.messages == [
        "This image is 11,000 × 11,000 pixels (121,000,000 in all); the most we take is "
        "40,000,000 pixels. Make it smaller and upload it again."
    ]
    assert error.code == "file_too_many_pixels"


@pytest.mark.parametrize("side", [6_500, 9_500])  # over the cap; over Pillow's error at twice it
def test_a_huge_png_is_refused_by_pillows_header_check(side):
    error, _ = refusal(drawn("PNG", (side, side), mode="1"))
    assert error.code == "file_too_many_pixels"
    assert "40,000,000 pixels" in error.messages[0]


@pytest.mark.parametrize(
    "data, decoded",
    [
        pytest.param(drawn("WEBP"), False, id="webp-lossy"),
        pytest.param(drawn("WEBP", lossless=True), False, id="webp-lossless"),
        pytest.param(drawn("WEBP", exif=b"Exif\0\0II*\0\x08\0\0\0\0\0"), False, id="webp-vp8x"),
        pytest.param(drawn("AVIF"), False, id="avif"),
        pytest.param(drawn("PNG"), True, id="png"),
        pytest.param(drawn("JPEG"), True, id="jpeg"),
        pytest.param(drawn("GIF"), True, id="gif"),
    ],
)
def test_an_image_within_the_cap_gives_its_size(data, decoded):
    file = io.BytesIO(data)
    file.seek(5)
    with Opened() as opened:
        assert check_image_upload(file) == (64, 48)
    assert file.tell() == 5  # left where it was
    assert bool(opened.calls) == decoded  # Pillow reads only the other formats' headers


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(isobmff_bomb(8_000, 8_000)[:40], id="avif-without-its-properties"),
        pytest.param(b"\0\0\0\x14ftypisom\0\0\0\0isom", id="mp4"),
        pytest.param(b"RIFF\x10\0\0\0WEBPVP8Z" + b"\0" * 20, id="webp-unknown-chunk"),
        pytest.param(b"not a picture", id="text"),
    ],
)
def test_an_image_whose_size_cannot_be_read_is_refused(data):
    error, opened = refusal(data)
    assert error.code == "invalid_image"
    assert error.messages == [
        "We could not read this image’s size, so it was not taken. "
        "Save it again as a JPEG or PNG and upload that."
    ]


# --- make attack: crafted headers ----------------------------------------------------------


def _webp_headers():
    chunk = st.sampled_from([b"VP8X", b"VP8 ", b"VP8L", b"ALPH", b"\0\0\0\0"])
    return st.tuples(chunk, st.binary(max_size=40)).map(
        lambda parts: b"RIFF\xff\xff\0\0WEBP" + parts[0] + parts[1]
    )


def _isobmff_files():
    """ftyp with an image brand, then boxes of any type and size, nested or not."""
    kinds = st.sampled_from([b"meta", b"iprp", b"ipco", b"ispe", b"mdat", b"free", b"hdlr"])
    leaf = st.tuples(kinds, st.binary(max_size=24)).map(lambda kp: box(kp[0], kp[1]))
    tree = st.recursive(
        leaf,
        lambda children: st.tuples(kinds, st.lists(children, max_size=3), st.booleans()).map(
            lambda k: box(k[0], b"".join(k[1]), full=k[2])
        ),
        max_leaves=8,
    )
    sizes = st.sampled_from([b"", b"\0\0\0\0", b"\0\0\0\x01", b"\xff\xff\xff\xff"])
    return st.tuples(st.lists(tree, max_size=4), sizes, st.binary(max_size=8)).map(
        lambda parts: (
            box(b"ftyp", b"avif\0\0\0\0avifmif1") + b"".join(parts[0]) + parts[1] + parts[2]
        )
    )


@pytest.mark.attack
@given(data=st.one_of(_webp_headers(), _isobmff_files()))
def test_crafted_webp_and_avif_headers_are_refused_or_measured_never_decoded(data):
    """Any WebP or AVIF header: a size within the cap or a plain refusal, never another
    error, and never a decoder made. A few examples in CI; many with ATTACK=full."""
    with Opened() as opened:
        try:
            width, height = check_image_upload(io.BytesIO(data))
        except ValidationError as refusal:
            assert refusal.code in {"file_too_many_pixels", "invalid_image"}
        else:
            assert width * height <= settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    assert opened.calls == 0
