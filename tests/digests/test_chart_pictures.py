"""The charts as pictures: what a reader sees in them (the own organisation in the accent colour, names
with their accents), read back from the PNG's pixels."""

from __future__ import annotations

import io
from typing import Any

from fontTools.ttLib import TTFont
from PIL import Image

from plugin.digests import charts
from plugin.digests.content import DigestContent
from plugin.digests.drawing import _FONT, tint
from tests.digests.test_digest_reading import content

ORGANISATIONS = {"Waterschap Zuiderzeeland": 9, "TU Delft": 12, "Gemeente Almere": 4, "BouwCo": 7}
#: Letters and marks members and organisations type in Dutch (and neighbouring) names and answers.
TYPED = "àáâäèéêëïíîóôöúûüçñÀÉËÏÖÜĳĲ€•→—“”…½°" + "\u2013\u2018\u2019"  # en dash, single quotes


def picture(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.convert("RGB")


def rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def bar_colours(image: Image.Image, rows: int) -> list[set[tuple[int, ...]]]:
    """The colours of each bar row's pixels, top to bottom (the chart's rows are 28 px from y = 48)."""
    colours = []
    for row in range(rows):
        y = 48 + 28 * row + 14
        colours.append({image.getpixel((x, y)) for x in range(image.width)})
    return colours


def digest(**changes: Any) -> DigestContent:
    return content(participation=ORGANISATIONS, organisations=sorted(ORGANISATIONS), **changes)


def test_participation_shows_the_audiences_own_bar_in_the_accent_colour_most_answers_first() -> None:
    image = picture(charts.participation(digest(audience="Gemeente Almere")) or b"")
    rows = bar_colours(image, len(ORGANISATIONS))
    accent, ink = rgb(charts.ACCENT), rgb(charts.INK)
    # Most answers first: TU Delft 12, Waterschap 9, BouwCo 7, Gemeente Almere 4 (the audience).
    assert [accent in row for row in rows] == [False, False, False, True]
    assert all(ink in row for row in rows[:3])


def test_the_fields_participation_highlights_no_organisation() -> None:
    image = picture(charts.participation(digest(audience="field", audience_kind="field")) or b"")
    assert not any(rgb(charts.ACCENT) in row for row in bar_colours(image, len(ORGANISATIONS)))


def test_a_longer_bar_for_more_answers() -> None:
    image = picture(charts.participation(digest()) or b"")
    ink = rgb(charts.INK)
    lengths = [sum(image.getpixel((x, 48 + 28 * row + 14)) == ink for x in range(image.width))
               for row in range(len(ORGANISATIONS))]
    assert lengths == sorted(lengths, reverse=True) and lengths[0] > 2 * lengths[-1]


def test_every_chart_is_a_picture_of_the_digests_width_with_ink_on_it() -> None:
    drawn = charts.all_charts(digest(backcasts=[["2027: a first pilot", "2029: every partner joins"]],
                                     social_map=[["TU Delft", "BouwCo"]]))
    assert set(drawn) == {"evaluation", "participation", "social-map", "backcast"}
    for png in drawn.values():
        image = picture(png)
        assert image.width == charts.WIDTH
        assert rgb(charts.INK) in {image.getpixel((x, y)) for x in range(0, image.width, 2)
                                   for y in range(0, image.height, 2)}


def test_the_social_maps_strokes_are_the_accent_laid_over_white() -> None:
    assert tint("#2a9d8f", 1) == "#2a9d8f" and tint("#2a9d8f", 0) == "#ffffff"
    assert tint("#000000", 0.5) == "#808080"


def test_the_font_has_every_letter_members_type() -> None:
    with _FONT.open("rb") as font_file:
        mapped = TTFont(font_file)["cmap"].getBestCmap()
    assert [letter for letter in TYPED if ord(letter) not in mapped] == []


def test_a_coalition_with_an_organisation_no_longer_listed_still_draws_it() -> None:
    """A member's organisation can leave the community after a coalition with it was recorded."""
    png = charts.social_map(digest(social_map=[["TU Delft", "Stichting Vertrokken"]]))
    assert png is not None and picture(png).width == charts.WIDTH
