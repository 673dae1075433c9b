"""The digest's pictures, drawn headless (matplotlib's Agg backend; networkx for the social map).

Each function returns PNG bytes, or None when there is nothing to draw.
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter
from datetime import date
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # headless: no display, no GUI toolkit

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from plugin.digests.content import DigestContent
from plugin.engine import timeline
from plugin.texts import text

INK, ACCENT, PALE = "#1f3a4d", "#2a9d8f", "#e9f5f3"
DPI = 110


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(figure)
    return buffer.getvalue()


def evaluation_trend(content: DigestContent) -> bytes | None:
    points = tuple((e["meeting"], e["average"]) for e in content.evaluations if e["average"] is not None)
    return _evaluation_png(points, content.language) if points else None


#: The digests of one moment (one per organisation, the field, the initiator) share these charts: each
#: is drawn once. The key is everything the picture shows.
_SHARED_CHARTS = 32


@lru_cache(maxsize=_SHARED_CHARTS)
def _evaluation_png(points: tuple[tuple[int, float], ...], language: str) -> bytes:
    figure, axes = plt.subplots(figsize=(6.4, 2.8))
    meetings, averages = zip(*points, strict=True)
    axes.plot(meetings, averages, marker="o", color=ACCENT, linewidth=2)
    axes.fill_between(meetings, averages, 1, color=PALE)
    axes.set_ylim(1, 5)
    axes.set_xticks(list(meetings))
    axes.set_xlabel(text("digest.chart.meeting", language), color=INK)
    axes.set_ylabel(text("digest.chart.average", language), color=INK)
    axes.set_title(text("digest.chart.evaluation", language), color=INK, loc="left")
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


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
    ordered = sorted(counts, key=lambda item: item[1])
    names = [name for name, _ in ordered]
    figure, axes = plt.subplots(figsize=(6.4, 0.45 * len(names) + 1))
    bars = axes.barh(names, [count for _, count in ordered],
                     color=[ACCENT if name == highlighted else INK for name in names])
    axes.bar_label(bars, padding=3, color=INK)
    axes.set_xlabel(text("digest.chart.answers", language), color=INK)
    axes.set_title(text("digest.chart.participation", language), color=INK, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def social_map(content: DigestContent) -> bytes | None:
    pairs = Counter(tuple(sorted(pair)) for pair in content.social_map if len(pair) == 2)
    if not pairs:
        return None
    return _social_map_png(tuple(sorted(pairs.items())), tuple(sorted(content.organisations)),
                           _highlighted(content), tuple(social_map_legend(content)), content.language)


@lru_cache(maxsize=_SHARED_CHARTS)
def _social_map_png(pairs: tuple[tuple[tuple[str, ...], int], ...], organisations: tuple[str, ...],
                    highlighted: str | None, legend_entries: tuple[tuple[str, str], ...], language: str) -> bytes:
    """Organisations around a circle, coalitions and joint initiatives as chords (thicker: more of them);
    the bigger a node, the more partners it has."""
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(organisations)
    for (first, second), weight in pairs:
        graph.add_edge(first, second, weight=weight)
    layout = nx.circular_layout(graph)
    figure, axes = plt.subplots(figsize=(6.4, 5.2))
    degree = dict(graph.degree())
    nx.draw_networkx_edges(graph, layout, ax=axes, edge_color=ACCENT, alpha=0.8,
                           width=[1.5 + 2 * graph[a][b]["weight"] for a, b in graph.edges()])
    nx.draw_networkx_nodes(graph, layout, ax=axes, node_color=[ACCENT if n == highlighted else INK
                                                               for n in graph.nodes()],
                           node_size=[220 + 260 * degree[n] for n in graph.nodes()])
    for name, (x, y) in layout.items():
        axes.text(x * 1.18, y * 1.18, name, fontsize=8, color=INK, va="center",
                  ha="left" if x > 0.1 else "right" if x < -0.1 else "center")
    axes.set_xlim(-1.9, 1.9)
    axes.set_ylim(-1.35, 1.35)
    legend = [Line2D([], [], color=ACCENT, linewidth=3, label=label) if kind == "line"
              else Line2D([], [], marker="o", linestyle="", color=ACCENT if kind == "you" else INK, label=label)
              for kind, label in legend_entries]
    axes.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=7.5, frameon=False,
                labelcolor=INK)
    axes.set_title(text("digest.chart.social_map", language), color=INK, loc="left")
    axes.axis("off")
    return _png(figure)


def _in_years(moment: date) -> float:
    return moment.year + (moment.month - 1) / 12


def backcast_timeline(content: DigestContent) -> bytes | None:
    """The latest backcast with at least two dated steps, on a line from now to the desired future."""
    dated = [steps for steps in ([s for s in map(timeline.parse, backcast) if s.by is not None]
                                 for backcast in content.backcasts) if len(steps) >= 2]
    return _backcast_png(tuple(dated[-1]), content.language) if dated else None


@lru_cache(maxsize=_SHARED_CHARTS)
def _backcast_png(dated: tuple[timeline.Step, ...], language: str) -> bytes:
    moments: dict[date, list[timeline.Step]] = {}
    for step in sorted(dated, key=lambda step: step.by or date.min):
        moments.setdefault(step.by or date.min, []).append(step)
    figure, axes = plt.subplots(figsize=(7.2, 4.2))
    axes.axhline(0, color=INK, linewidth=1.5)
    axes.plot([_in_years(moment) for moment in moments], [0] * len(moments), "o", color=ACCENT, markersize=9)
    for index, (moment, steps) in enumerate(moments.items()):
        above = index % 2 == 0
        label = "\n".join([steps[0].when, *(textwrap.fill(step.what, 22, initial_indent="• ", subsequent_indent="  ")
                                               for step in steps)])
        axes.annotate(label, (_in_years(moment), 0), xytext=(0, 14 if above else -14), textcoords="offset points",
                      ha="center", va="bottom" if above else "top", fontsize=7.5, color=INK, multialignment="left")
    axes.set_ylim(-1.2, 1.2)
    axes.set_yticks([])
    years = range(min(moments).year, max(moments).year + 1)
    axes.set_xticks(list(years), [str(year) for year in years])
    axes.set_title(text("digest.chart.backcast", language), color=INK, loc="left")
    axes.spines[["top", "right", "left"]].set_visible(False)
    return _png(figure)


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
