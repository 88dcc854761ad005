"""Illustrations for the demo content, drawn here with Pillow (never downloaded).

Each is a flat, poster-like handbag in two colours, so demo pages look finished without
borrowing anyone's photographs.
"""

import io
import random

from PIL import Image as PILImage
from PIL import ImageDraw

SIZE = (1200, 800)


def _hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def draw_bag(colours, seed):
    """A PNG (bytes): a gradient backdrop, a bag with handle, flap and clasp, a soft shadow."""
    back, bag = (_hex(c) for c in colours[:2])
    rng = random.Random(seed)
    width, height = SIZE
    image = PILImage.new("RGB", SIZE, back)
    draw = ImageDraw.Draw(image)
    light = _mix(back, (255, 255, 255), 0.35)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=_mix(light, back, y / height))

    cx = width // 2 + rng.randint(-120, 120)
    body_w = rng.randint(460, 560)
    body_h = rng.randint(280, 340)
    top = height // 2 - body_h // 2 + 60
    bottom = top + body_h
    inset = rng.randint(30, 70)
    shadow = _mix(back, (0, 0, 0), 0.25)
    draw.ellipse(
        [cx - body_w // 2 - 20, bottom - 10, cx + body_w // 2 + 20, bottom + 40], fill=shadow
    )
    handle = _mix(bag, (0, 0, 0), 0.25)
    handle_w = body_w // 2
    draw.arc(
        [cx - handle_w // 2, top - 190, cx + handle_w // 2, top + 120],
        start=180,
        end=360,
        fill=handle,
        width=26,
    )
    draw.polygon(
        [
            (cx - body_w // 2 + inset, top),
            (cx + body_w // 2 - inset, top),
            (cx + body_w // 2, bottom),
            (cx - body_w // 2, bottom),
        ],
        fill=bag,
    )
    flap = _mix(bag, (0, 0, 0), 0.12)
    flap_h = body_h // 3
    draw.polygon(
        [
            (cx - body_w // 2 + inset, top),
            (cx + body_w // 2 - inset, top),
            (cx + body_w // 2 - inset // 2, top + flap_h),
            (cx - body_w // 2 + inset // 2, top + flap_h),
        ],
        fill=flap,
    )
    gold = (212, 175, 55)
    draw.rounded_rectangle(
        [cx - 34, top + flap_h - 18, cx + 34, top + flap_h + 26], radius=8, fill=gold
    )
    stitch = _mix(bag, (255, 255, 255), 0.45)
    for x in range(cx - body_w // 2 + 30, cx + body_w // 2 - 30, 22):
        draw.line([(x, bottom - 22), (x + 10, bottom - 22)], fill=stitch, width=3)

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def draw_portrait(colours, seed):
    """A PNG (bytes): a simple head-and-shoulders silhouette on a two-colour backdrop."""
    back, figure = (_hex(c) for c in colours[:2])
    rng = random.Random(seed)
    image = PILImage.new("RGB", (600, 600), back)
    draw = ImageDraw.Draw(image)
    draw.ellipse([-200, 380, 800, 1100], fill=figure)
    head = rng.randint(150, 175)
    draw.ellipse(
        [300 - head, 120, 300 + head, 120 + 2 * head], fill=_mix(figure, (255, 255, 255), 0.2)
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
