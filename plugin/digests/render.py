"""A digest as Markdown (platform posts), HTML (e-mail, with a plain-text alternative) and plain text.

The content becomes a list of :class:`Section` here, in the audience's language; the three templates
under ``templates/`` only lay the sections out. Member-supplied text is data to these templates and is
escaped in HTML.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from plugin.digests.content import FIELD, INITIATOR, DigestContent
from plugin.localized import number
from plugin.texts import text

TEMPLATES = Path(__file__).parent / "templates"
_environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "html.j2"]),
                           trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[str]
    #: The name of a chart shown with this section, if it has one.
    image: str | None = None


@dataclass(frozen=True)
class Rendered:
    subject: str
    markdown: str
    html: str
    text: str
    charts: dict[str, bytes] = field(default_factory=dict)


def audience_label(content: DigestContent) -> str:
    if content.audience in (FIELD, INITIATOR):
        return text(f"digest.audience.{content.audience}", content.language)
    return content.audience


def _date(iso: str) -> str:
    return datetime.fromisoformat(iso).date().isoformat()


def period_label(content: DigestContent) -> str:
    end = _date(content.period_end)
    if content.period_start is None:
        return text("digest.period.whole", content.language, end=end)
    return text("digest.period.since", content.language, start=_date(content.period_start), end=end)


def _with_meeting(question: str, meeting: int | None, language: str) -> str:
    """``question`` with the meeting it was about, unless it says so itself ("How valuable was meeting 3 …"):
    two system analyses in one digest are told apart."""
    if meeting is None:
        return question
    word = re.escape(text("digest.chart.meeting", language))
    if re.search(rf"\b{word} {meeting}\b", question, re.IGNORECASE):
        return question
    return question + text("digest.poll.meeting", language, number=meeting)


#: How much the average of the latest meetings must change to be called rising or falling.
TREND_STEP = 0.2


def _trend_summary(trend: list[dict[str, Any]], language: str) -> str | None:
    """Highest, lowest and where the latest three meetings go; None with fewer than two results."""
    shown = [(point["meeting"], float(point["average"])) for point in trend if point["average"] is not None]
    if len(shown) < 2:
        return None
    best, worst = max(shown, key=lambda p: p[1]), min(shown, key=lambda p: p[1])
    change = shown[-1][1] - shown[-3:][0][1]
    direction = "up" if change >= TREND_STEP else "down" if change <= -TREND_STEP else "steady"
    return text("digest.trend", language, best=best[0], best_average=number(best[1], language), worst=worst[0],
                worst_average=number(worst[1], language), direction=text(f"digest.trend.{direction}", language))


def sections(content: DigestContent, charts: dict[str, bytes]) -> list[Section]:
    language = content.language

    def t(key: str, **values: object) -> str:
        return text(key, language, **values)

    numbers = f": {', '.join(str(m['number']) for m in content.meetings_held)}" if content.meetings_held else ""
    found = [Section(t("digest.meetings", held=len(content.meetings_held), planned=content.meetings_planned,
                       numbers=numbers), [])]
    domain_lines = [content.domain or t("digest.domain.none")]
    domain_lines += [t("digest.domain.changed", version=v["version"], date=v["date"]) for v in content.domain_versions]
    found.append(Section(t("digest.domain"), domain_lines))
    for key, trend, chart in (("digest.evaluations", content.evaluations, "evaluation"),
                              ("digest.ambitions", content.ambitions, None)):
        if trend:
            drawn = chart if chart in charts else None
            # With the chart, one sentence says what it shows; without one, the figures themselves.
            summary = _trend_summary(trend, language) if drawn else None
            found.append(Section(t(key), [summary or "; ".join(
                t("digest.evaluation", meeting=point["meeting"], average=number(point["average"], language)
                  if point["average"] is not None else t("digest.too_few")) for point in trend)], drawn))
    if content.decisions:
        found.append(Section(t("digest.decisions"), [t(
            "digest.decision", text=d["text"], outcome=t("digest.adopted" if d["adopted"] else "digest.rejected"),
            agree=d["agree"], disagree=d["disagree"]) for d in content.decisions]))
    if content.polls:
        found.append(Section(t("digest.polls"), [
            t("digest.poll_hidden", question=_with_meeting(p.question, p.meeting, language)) if p.hidden else t(
                "digest.poll", question=_with_meeting(p.question, p.meeting, language), votes=p.votes,
                summary=f"⌀ {number(p.average, language)}" if p.average is not None
                else ", ".join(f"{option}: {n}" for option, n in p.counts.items())) for p in content.polls]))
    if content.experiments:
        found.append(Section(t("digest.experiments"), [e["text"] + (f" ({e['by']})" if e["by"] else "")
                                                        for e in content.experiments]))
    if content.backcasts:
        found.append(Section(t("digest.backcasts"), [" → ".join(steps) for steps in content.backcasts if steps],
                             "backcast" if "backcast" in charts else None))
    if content.coalitions or "social-map" in charts:
        found.append(Section(t("digest.coalitions"), [" + ".join(c["organisations"]) + f": {c['what']}"
                                                       for c in content.coalitions],
                             "social-map" if "social-map" in charts else None))
    if "participation" in charts:
        found.append(Section(t("digest.participation"), [f"{name}: {n}" for name, n in content.participation.items()],
                             "participation"))
    if content.still_open:
        found.append(Section(t("digest.still_open"), [t(
            "digest.open_poll", question=_with_meeting(p["question"], p["meeting"], language), closes=p["closes"])
            for p in content.still_open]))
    if content.audience_kind == "organisation" and (content.contributions or content.not_consenting):
        lines = []
        for person in content.contributions:
            parts = ([t("digest.contribution.facilitated", count=person.facilitated)] if person.facilitated else [])
            parts += [t("digest.contribution.experiments", items="; ".join(person.experiments))] \
                if person.experiments else []
            parts += [t("digest.contribution.coalitions", items="; ".join(person.coalitions))] \
                if person.coalitions else []
            parts += [t("digest.contribution.highlights", items="; ".join(person.highlights))] \
                if person.highlights else []
            lines.append(f"{person.name}: " + ("; ".join(parts) or "—"))
        if content.not_consenting:
            lines.append(t("digest.not_consenting", count=content.not_consenting))
        found.append(Section(t("digest.contributions"), lines))
    return found


def render(content: DigestContent, charts: dict[str, bytes],
           image_source: Callable[[str, bytes], str] | None = None) -> Rendered:
    """All three forms. ``image_source`` gives an HTML image address (default: an inline data: URI;
    e-mail uses ``cid:`` references to attached images)."""
    source = image_source or (lambda name, png: "data:image/png;base64," + base64.b64encode(png).decode())
    title = text("digest.title", content.language, name=content.community, audience=audience_label(content))
    values = {"title": title, "period": period_label(content), "sections": sections(content, charts),
              "footer": text("digest.footer", content.language, name=content.community),
              "language": content.language, "image": lambda name: source(name, charts[name])}
    return Rendered(
        subject=text("digest.subject", content.language, title=title, period=values["period"]),
        markdown=_environment.get_template("digest.md.j2").render(values).strip() + "\n",
        html=_environment.get_template("digest.html.j2").render(values),
        text=_environment.get_template("digest.txt.j2").render(values).strip() + "\n",
        charts=charts)
