"""A drawing surface for the digest's charts: Pillow, drawn at twice the size and halved, so that lines,
dots and text come out smooth.

The four charts are fixed in form (a line, bars, a circle of organisations, a time line), and each
digest of each audience draws its own. Drawn with matplotlib they cost 40-140 ms each, most of it in
its general axis and layout machinery; drawn here a few milliseconds. The font is DejaVu Sans (the
one matplotlib draws with), shipped beside this module with its licence: it covers the accents of
Dutch names and the punctuation members type, which Pillow's built-in font does not.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib.resources import files
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

#: Drawn at this multiple of the picture's size, then reduced: the reduction smooths every edge.
SCALE = 2
_FONT = files("plugin.digests") / "fonts" / "DejaVuSans.ttf"

Point = tuple[float, float]
HAlign = Literal["left", "center", "right"]
VAlign = Literal["top", "middle", "bottom"]


@lru_cache(maxsize=16)
def _font(size: float) -> ImageFont.FreeTypeFont:
    with _FONT.open("rb") as font_file:
        return ImageFont.truetype(io.BytesIO(font_file.read()), round(size * SCALE))


@cache
def _measure() -> ImageDraw.ImageDraw:
    """A drawing to measure text on (measuring draws nothing): one for the process."""
    return ImageDraw.Draw(Image.new("1", (1, 1)))


def text_size(text: str, size: float) -> tuple[float, float]:
    """Width and height of (possibly several lines of) text, in the picture's pixels."""
    _, _, right, bottom = _measure().multiline_textbbox((0, 0), text, font=_font(size), spacing=_spacing(size))
    return right / SCALE, bottom / SCALE


def _spacing(size: float) -> int:
    return round(size * 0.3 * SCALE)


def tint(colour: str, share: float) -> str:
    """``colour`` laid over white at ``share`` opacity (0 to 1), as one opaque colour."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - part) * share):02x}" for part in (red, green, blue))


class Canvas:
    """A white picture of ``width`` by ``height`` pixels; every coordinate is in those pixels."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self._image = Image.new("RGB", (round(width * SCALE), round(height * SCALE)), "white")
        self._draw = ImageDraw.Draw(self._image)

    def line(self, points: Sequence[Point], colour: str, width: float = 1) -> None:
        self._draw.line([(x * SCALE, y * SCALE) for x, y in points], fill=colour,
                        width=max(1, round(width * SCALE)), joint="curve")

    def box(self, left: float, top: float, right: float, bottom: float, colour: str) -> None:
        self._draw.rectangle((left * SCALE, top * SCALE, right * SCALE, bottom * SCALE), fill=colour)

    def area(self, points: Sequence[Point], colour: str) -> None:
        self._draw.polygon([(x * SCALE, y * SCALE) for x, y in points], fill=colour)

    def dot(self, centre: Point, radius: float, colour: str) -> None:
        x, y = centre
        self._draw.ellipse(((x - radius) * SCALE, (y - radius) * SCALE, (x + radius) * SCALE, (y + radius) * SCALE),
                           fill=colour)

    def text(self, at: Point, text: str, size: float, colour: str, ha: HAlign = "left", va: VAlign = "top",
             align: HAlign | None = None) -> None:
        """Text placed by ``ha``/``va`` around ``at``, kept inside the picture; several lines are aligned
        as ``align`` says (by default as ``ha``)."""
        width, height = text_size(text, size)
        left = at[0] - {"left": 0, "center": width / 2, "right": width}[ha]
        top = at[1] - {"top": 0, "middle": height / 2, "bottom": height}[va]
        left = max(2, min(left, self.width - width - 2))
        self._draw.multiline_text((left * SCALE, top * SCALE), text, fill=colour, font=_font(size),
                                  spacing=_spacing(size), align=align or ha)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self._image.reduce(SCALE).save(buffer, format="PNG")
        return buffer.getvalue()
