"""Image files for the upload tests, made in memory: real small ones written by Pillow, and
crafted headers that claim a huge picture in a few bytes (image bombs)."""

import io
import struct

from PIL import Image


def drawn(format, size=(64, 48), mode="RGB", **options):
    """A real one-colour image in `format` ("PNG", "WEBP", "AVIF", …) written by Pillow."""
    buffer = io.BytesIO()
    Image.new(mode, size, "tan").save(buffer, format=format, **options)
    return buffer.getvalue()


def webp_bomb(width, height):
    """A WebP header (an extended "VP8X" chunk) claiming a canvas of width × height, with a
    tiny lossless picture after it: a few dozen bytes."""
    canvas = b"\0\0\0\0" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    frame = drawn("WEBP", (1, 1), lossless=True)[12:]  # its "VP8L" chunk
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(canvas)) + canvas + frame
    return b"RIFF" + struct.pack("<I", len(body)) + body


def box(kind, payload, full=False):
    """An ISOBMFF box; a full box has a version and flags (four zero bytes) first."""
    payload = (b"\0\0\0\0" if full else b"") + payload
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def isobmff_bomb(width, height, brand=b"avif"):
    """The smallest AVIF (or HEIF, with brand b"heic") that declares a width × height
    picture: a file-type box and a "meta" box whose item properties hold an `ispe`."""
    spatial_extent = box(b"ispe", struct.pack(">II", width, height), full=True)
    properties = box(b"iprp", box(b"ipco", spatial_extent))
    handler = box(b"hdlr", b"\0\0\0\0pict" + b"\0" * 12 + b"\0", full=True)
    meta = box(b"meta", handler + properties, full=True)
    return box(b"ftyp", brand + b"\0\0\0\0" + brand + b"mif1miaf") + meta + box(b"mdat", b"")


def avif_claiming(width, height):
    """A real AVIF written by Pillow (64 × 48) whose `ispe` box is rewritten to claim
    width × height: what libavif wrote, but a bomb's header."""
    data = bytearray(drawn("AVIF"))
    at = data.index(b"ispe") + 8  # past the type, the version and the flags
    data[at : at + 8] = struct.pack(">II", width, height)
    return bytes(data)
