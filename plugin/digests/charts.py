"""The digest's pictures (PNG, drawn with :mod:`plugin.digests.drawing`).

Each function returns PNG bytes, or None when there is nothing to draw.
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter
from datetime import date
from functools import lru_cache

from plugin.digests.content import DigestContent
from plugin.digests.drawing import Canvas, Point, text_size, tint
from plugin.engine import timeline
from plugin.texts import text

INK, ACCENT, PALE = "#1f3a4d", "#2a9d8f", "#e9f5f3"
GRID, MUTED, CHORD = tint(INK, 0.12), tint(INK, 0.75), tint(ACCENT, 0.8)
WIDTH = 704
TITLE, LABEL, SMALL = 17.0, 13.0, 11.5
MARGIN = 16


def _titled(height: float, title: str) -> Canvas:
    canvas = Canvas(WIDTH, height)
    canvas.text((MARGIN, 12), title, TITLE, INK)
    return canvas


def evaluation_trend(content: DigestContent) -> bytes | None:
    points = tuple((e["meeting"], e["average"]) for e in content.evaluations if e["average"] is not None)
    return _evaluation_png(points, content.language) if points else None


#: The digests of one moment (one per organisation, the field, the initiator) share these charts: each
#: is drawn once. The key is everything the picture shows.
_SHARED_CHARTS = 32


@lru_cache(maxsize=_SHARED_CHARTS)
def _evaluation_png(points: tuple[tuple[int, float], ...], language: str) -> bytes:
    """The average score (1-5) per meeting: a line over a pale area, a grid line per score."""
    canvas = _titled(310, text("digest.chart.evaluation", language))
    canvas.text((MARGIN, 40), text("digest.chart.average", language), SMALL, MUTED)
    left, right, top, bottom = MARGIN + 24, WIDTH - 20, 68, 310 - 52

    def y_of(score: float) -> float:
        return bottom - (score - 1) / 4 * (bottom - top)

    for score in range(1, 6):
        canvas.line([(left, y_of(score)), (right, y_of(score))], GRID)
        canvas.text((left - 8, y_of(score)), str(score), LABEL, INK, ha="right", va="middle")
    first, last = points[0][0], points[-1][0]
    inner = right - left - 32

    def x_of(meeting: int) -> float:
        return left + 16 + (inner * (meeting - first) / (last - first) if last > first else inner / 2)

    line = [(x_of(meeting), y_of(average)) for meeting, average in points]
    canvas.area([(line[0][0], bottom), *line, (line[-1][0], bottom)], PALE)
    canvas.line(line, ACCENT, 2)
    every = max(1, math.ceil(len(points) * 28 / inner))
    for index, ((meeting, _), centre) in enumerate(zip(points, line, strict=True)):
        canvas.dot(centre, 4, ACCENT)
        if index % every == 0:
            canvas.text((centre[0], bottom + 6), str(meeting), LABEL, INK, ha="center")
    canvas.line([(left, bottom), (right, bottom)], INK)
    canvas.text(((left + right) / 2, bottom + 26), text("digest.chart.meeting", language), LABEL, INK, ha="center")
    return canvas.png()


def _highlighted(content: DigestContent) -> str | None:
    """The organisation a chart shows in the accent colour: the audience's own. The field's and the
    initiator's digests highlight none, so theirs share one picture."""
    return content.audience if content.audience_kind == "organisation" else None


def participation(content: DigestContent) -> bytes | None:
    if not any(content.participation.values()):
        return None
    return _participation_png(tuple(sorted(content.participation.items())), _highlighted(content), content.language)


@lru_cache(maxsize=_SHARED_CHARTS)
def _participation_png(counts: tuple[tuple[str, int], ...], highlighted: str | None, language: str) -> bytes:
    """Answers per organisation, most first; the audience's own bar in the accent colour."""
    ordered = sorted(counts, key=lambda item: (-item[1], item[0]))
    row, top = 28, 48
    canvas = _titled(top + row * len(ordered) + 40, text("digest.chart.participation", language))
    left = MARGIN + max(text_size(name, LABEL)[0] for name, _ in ordered) + 10
    longest = max(1, ordered[0][1])
    room = WIDTH - left - MARGIN - text_size(str(longest), LABEL)[0] - 8
    for index, (name, answers) in enumerate(ordered):
        middle = top + row * index + row / 2
        end = left + room * answers / longest
        canvas.text((left - 8, middle), name, LABEL, INK, ha="right", va="middle")
        canvas.box(left, middle - 9, end, middle + 9, ACCENT if name == highlighted else INK)
        canvas.text((end + 5, middle), str(answers), LABEL, INK, va="middle")
    bottom = top + row * len(ordered)
    canvas.line([(left, top), (left, bottom)], INK)
    canvas.text((left + room / 2, bottom + 10), text("digest.chart.answers", language), LABEL, INK, ha="center")
    return canvas.png()


def social_map(content: DigestContent) -> bytes | None:
    pairs = Counter(tuple(sorted(pair)) for pair in content.social_map if len(pair) == 2)
    if not pairs:
        return None
    return _social_map_png(tuple(sorted(pairs.items())), tuple(sorted(content.organisations)),
                           _highlighted(content), tuple(social_map_legend(content)), content.language)


#: A typographic point (1/72 inch) at 110 dots per inch, in pixels: the map's strokes and dots are sized in points.
POINT = 110 / 72


@lru_cache(maxsize=_SHARED_CHARTS)
def _social_map_png(pairs: tuple[tuple[tuple[str, ...], int], ...], organisations: tuple[str, ...],
                    highlighted: str | None, legend_entries: tuple[tuple[str, str], ...], language: str) -> bytes:
    """Organisations around a circle, coalitions and joint initiatives as chords (thicker: more of them);
    the bigger a node, the more partners it has."""
    legend_height = 20 * len(legend_entries) + 16
    height = 560
    canvas = _titled(height, text("digest.chart.social_map", language))
    radius = min(WIDTH / 3.8, (height - 60 - legend_height) / 2.7)
    centre = (WIDTH / 2, 44 + (height - 44 - legend_height) / 2)
    listed = set(organisations)  # a coalition may name an organisation that has left since: drawn too
    names = [*organisations, *sorted({name for pair, _ in pairs for name in pair} - listed)]
    turn = 2 * math.pi / len(names)
    place = {name: (math.cos(turn * index), math.sin(turn * index)) for index, name in enumerate(names)}

    def at(name: str, beyond: float = 0) -> Point:
        x, y = place[name]
        return centre[0] + (radius + beyond) * x, centre[1] - (radius + beyond) * y

    partners: Counter[str] = Counter()
    for (first, second), weight in pairs:
        canvas.line([at(first), at(second)], CHORD, (1.5 + 2 * weight) * POINT)
        partners.update((first, second))
    for name in names:
        size = math.sqrt(220 + 260 * partners[name]) / 2 * POINT
        canvas.dot(at(name), size, ACCENT if name == highlighted else INK)
        x = place[name][0]
        canvas.text(at(name, size + 14), name, SMALL, INK, va="middle",
                    ha="left" if x > 0.1 else "right" if x < -0.1 else "center")
    _legend(canvas, legend_entries, height - legend_height)
    return canvas.png()


def _legend(canvas: Canvas, entries: tuple[tuple[str, str], ...], top: float) -> None:
    """One line per entry, centred as a block: a dot or a stroke, then what it means."""
    left = (WIDTH - 32 - max(text_size(label, SMALL)[0] for _, label in entries)) / 2
    for index, (kind, label) in enumerate(entries):
        middle = top + 20 * index + 10
        if kind == "line":
            canvas.line([(left, middle), (left + 22, middle)], ACCENT, 3)
        else:
            canvas.dot((left + 11, middle), 5, ACCENT if kind == "you" else INK)
        canvas.text((left + 32, middle), label, SMALL, INK, va="middle")


def _in_years(moment: date) -> float:
    return moment.year + (moment.month - 1) / 12


def backcast_timeline(content: DigestContent) -> bytes | None:
    """The latest backcast with at least two dated steps, on a line from now to the desired future."""
    dated = [steps for steps in ([s for s in map(timeline.parse, backcast) if s.by is not None]
                                 for backcast in content.backcasts) if len(steps) >= 2]
    return _backcast_png(tuple(dated[-1]), content.language) if dated else None


@lru_cache(maxsize=_SHARED_CHARTS)
def _backcast_png(dated: tuple[timeline.Step, ...], language: str) -> bytes:
    """The steps on a line through the years, their labels above and below it in turn."""
    moments: dict[date, list[timeline.Step]] = {}
    for step in sorted(dated, key=lambda step: step.by or date.min):
        moments.setdefault(step.by or date.min, []).append(step)
    labels = ["\n".join([steps[0].when, *(textwrap.fill(step.what, 22, initial_indent="• ", subsequent_indent="  ")
                                        for step in steps)]) for steps in moments.values()]
    above = max(text_size(label, SMALL)[1] for label in labels[::2])
    below = max((text_size(label, SMALL)[1] for label in labels[1::2]), default=0)
    line_y = 52 + above + 16
    height = line_y + 16 + below + 56
    canvas = _titled(height, text("digest.chart.backcast", language))
    years = range(min(moments).year, max(moments).year + 1)
    first = min(_in_years(min(moments)), years[0])
    span = max(max(_in_years(max(moments)), years[-1]) - first, 1.0)
    left, right = 44, WIDTH - 44

    def x_of(moment: float) -> float:
        return left + (right - left) * (moment - first) / span

    canvas.line([(left - 24, line_y), (right + 24, line_y)], INK, 1.5)
    for index, (moment, label) in enumerate(zip(moments, labels, strict=True)):
        x = x_of(_in_years(moment))
        canvas.dot((x, line_y), 6, ACCENT)
        up = index % 2 == 0
        canvas.text((x, line_y - 14 if up else line_y + 14), label, SMALL, INK, ha="center",
                    va="bottom" if up else "top", align="left")
    axis = height - 36
    canvas.line([(left - 24, axis), (right + 24, axis)], INK)
    for year in years:
        canvas.line([(x_of(year), axis), (x_of(year), axis + 5)], INK)
        canvas.text((x_of(year), axis + 8), str(year), LABEL, INK, ha="center")
    return canvas.png()


def social_map_legend(content: DigestContent) -> list[tuple[str, str]]:
    """What the social map's colours and lines mean, as (kind, label): the recipient's own organisation
    (when it is one of the map's), the others, a coalition."""
    language = content.language
    legend = [("others", text("digest.chart.legend.others", language)),
              ("line", text("digest.chart.legend.lines", language))]
    if content.audience_kind == "organisation" and content.audience in content.organisations:
        legend.insert(0, ("you", text("digest.chart.legend.you", language, name=content.audience)))
    return legend


def all_charts(content: DigestContent) -> dict[str, bytes]:
    """Name → PNG for every chart with something to show."""
    drawn = {"evaluation": evaluation_trend(content), "participation": participation(content),
             "social-map": social_map(content), "backcast": backcast_timeline(content)}
    return {name: png for name, png in drawn.items() if png is not None}


def forget_drawn() -> None:
    """Forget the pictures drawn so far, so that the next digest draws its own (bench/digest_build.py)."""
    for drawn in (_evaluation_png, _participation_png, _social_map_png, _backcast_png):
        drawn.cache_clear()
