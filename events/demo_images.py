"""Pictures for the demo's events, drawn here with Pillow (never fetched): a banner of soft
shapes in the project's colours, different for every event, so cards and pages look lived in."""

from __future__ import annotations

import hashlib
import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from events.models import Event, EventKind

PALETTES = [
    ((23, 50, 77), [(46, 110, 171), (250, 204, 21), (230, 238, 246)]),
    ((30, 70, 50), [(60, 150, 100), (240, 180, 60), (220, 240, 225)]),
    ((90, 30, 60), [(200, 80, 110), (255, 210, 120), (245, 225, 235)]),
]
SIZE = (1200, 480)


def draw_banner(*, seed: str) -> ContentFile:
    """A PNG banner; the same seed draws the same picture."""
    rng = random.Random(hashlib.sha256(seed.encode()).hexdigest())  # noqa: S311 (art, not security)
    background, colours = PALETTES[rng.randrange(len(PALETTES))]
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(14):
        colour = (*rng.choice(colours), rng.randrange(60, 170))
        x, y, r = rng.randrange(SIZE[0]), rng.randrange(SIZE[1]), rng.randrange(40, 220)
        if rng.random() < 0.6:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.rounded_rectangle((x - r, y - r // 2, x + r, y + r // 2), radius=r // 4, fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name=f"demo-{hashlib.sha256(seed.encode()).hexdigest()[:12]}.png")


def add_demo_images() -> int:
    """Give the demo's top-level events without a picture a drawn one; returns how many."""
    events = Event.objects.filter(uid__endswith="@praxis.demo", parent__isnull=True, image="").exclude(
        kind=EventKind.SESSION
    )
    count = 0
    for event in events:
        banner = draw_banner(seed=event.uid)
        event.image.save(banner.name, banner, save=False)
        # Only the picture changes: no calendar client needs a new SEQUENCE for it.
        Event.objects.filter(pk=event.pk).update(image=event.image.name)
        count += 1
    return count
