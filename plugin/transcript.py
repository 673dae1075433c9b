"""A simulation's transcript: what every member saw (recorded instead of sent), in order, as JSON and as text."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from plugin.clock import VirtualClock
from plugin.community_file import CommunitySpec
from plugin.platforms.base import OutboundPost, PostedMessage


@dataclass
class Entry:
    """One thing in the transcript: a post, thread, direct message, e-mail, a member's command or Kring's reply."""

    at: datetime
    kind: str
    text: str
    to: str | None = None
    thread: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "kind": self.kind, "to": self.to, "thread": self.thread,
                "text": self.text}


@dataclass
class RecordingPlatform:
    """A platform that keeps every post in a transcript instead of sending it."""

    clock: VirtualClock
    entries: list[Entry] = field(default_factory=list)

    def post(self, post: OutboundPost, idempotency_key: str) -> PostedMessage:
        number = len(self.entries) + 1
        kind = "thread" if post.opens_thread else "direct" if post.to_user_id or post.to_username else "post"
        self.entries.append(Entry(self.clock.now(), kind, post.text, to=post.to_username,
                                  thread=post.opens_thread or post.thread_key))
        return PostedMessage(post_id=f"sim-{number}", thread_id=post.thread_id)

    def receive_email(self, recipient: str, subject: str, text: str) -> None:
        """An e-mail the simulation's mail server accepted (sent while the worker waits, so at this moment)."""
        self.entries.append(Entry(self.clock.now(), "email", f"{subject}\n\n{text}", to=recipient))


def write_transcript(out: Path, entries: list[Entry], workflow_ids: list[str], spec: CommunitySpec, jobs: int,
                     seconds: float, failed_runs: list[str], failed_deliveries: list[str]) -> dict[str, Any]:
    """Write transcript.json (every entry), transcript.txt and transcript.html (for a person: per meeting,
    with contents, a message to many members shown once) into ``out``; the run's summary."""
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.kind] = counts.get(entry.kind, 0) + 1
    summary = {"workflows": workflow_ids, "community": spec.name, "members": len(spec.members),
               "entries": len(entries), "by_kind": counts, "queued_jobs": jobs, "seconds": round(seconds, 2),
               "failed_runs": failed_runs, "failed_deliveries": failed_deliveries}
    (out / "transcript.json").write_text(json.dumps({"summary": summary,
                                                     "entries": [e.as_dict() for e in entries]}, indent=1,
                                                    ensure_ascii=False), encoding="utf-8")
    sections = _sections(_grouped(entries), spec)
    (out / "transcript.txt").write_text(_as_text(sections, spec), encoding="utf-8")
    (out / "transcript.html").write_text(_as_html(sections, spec), encoding="utf-8")
    return summary


@dataclass(frozen=True)
class Shown:
    """One entry as a person reads it: a message sent alike to several members is one, with its recipients."""

    entry: Entry
    recipients: tuple[str, ...] = ()

    def heading(self, zone: ZoneInfo) -> str:
        entry = self.entry
        if len(self.recipients) > 1:
            where = f"to {len(self.recipients)} members ({', '.join(self.recipients)})"
        else:
            where = {"thread": f"new thread {entry.thread}", "direct": f"to {entry.to}",
                     "email": f"e-mail to {entry.to}", "member": f"{entry.to} types",
                     "reply": f"Kring answers {entry.to}", "membership": f"{entry.to}",
                     "post": f"in thread {entry.thread}" if entry.thread else "in group"}[entry.kind]
        return f"[{entry.at.astimezone(zone):%Y-%m-%d %H:%M}] {where}:"


def _grouped(entries: list[Entry]) -> list[Shown]:
    """Direct messages of the same text at the same moment, one after another, as one."""
    shown: list[Shown] = []
    for entry in entries:
        last = shown[-1] if shown else None
        if (last is not None and entry.kind == last.entry.kind == "direct" and entry.text == last.entry.text
                and entry.at == last.entry.at):
            shown[-1] = Shown(last.entry, (*last.recipients, entry.to or "?"))
        else:
            shown.append(Shown(entry, (entry.to or "?",) if entry.kind == "direct" else ()))
    return shown


def _sections(shown: list[Shown], spec: CommunitySpec) -> list[tuple[str, list[Shown]]]:
    """The transcript cut at each meeting's day: before the first, then one section per meeting."""
    sections: list[tuple[str, list[Shown]]] = [("Before the first meeting", [])]
    zone = ZoneInfo(spec.timezone)
    number, day = 0, spec.start
    for item in shown:
        while item.entry.at.astimezone(zone).date() >= day:
            number += 1
            sections.append((f"Meeting {number} — {day:%Y-%m-%d}", []))
            day += timedelta(weeks=spec.cadence_weeks)
        sections[-1][1].append(item)
    return [(title, items) for title, items in sections if items]


def _as_text(sections: list[tuple[str, list[Shown]]], spec: CommunitySpec) -> str:
    zone = ZoneInfo(spec.timezone)
    lines = [f"Transcript of {spec.name} (times in {spec.timezone})", "", "Contents"]
    lines += [f"  {index}. {title} ({len(items)})" for index, (title, items) in enumerate(sections, start=1)]
    for title, items in sections:
        lines += ["", f"== {title} ==", ""]
        for item in items:
            lines.append(item.heading(zone))
            lines += [f"    {line}" for line in item.entry.text.splitlines()]
    return "\n".join(lines) + "\n"


def _as_html(sections: list[tuple[str, list[Shown]]], spec: CommunitySpec) -> str:
    zone = ZoneInfo(spec.timezone)
    title = html.escape(f"Transcript of {spec.name}")
    parts = [f'<!doctype html>\n<html lang="{spec.language}"><head><meta charset="utf-8"><title>{title}</title>',
             "<style>body{font-family:sans-serif;max-width:52rem;margin:auto;padding:1rem;color:#1f3a4d}"
             "pre{white-space:pre-wrap;background:#f4f8f7;padding:.5rem;margin:.2rem 0 1rem}</style></head><body>",
             f"<h1>{title}</h1><p>Times in {html.escape(spec.timezone)}.</p><nav><h2>Contents</h2><ol>"]
    parts += [f'<li><a href="#s{index}">{html.escape(name)}</a> ({len(items)})</li>'
              for index, (name, items) in enumerate(sections, start=1)]
    parts.append("</ol></nav>")
    for index, (name, items) in enumerate(sections, start=1):
        parts.append(f'<section id="s{index}"><h2>{html.escape(name)}</h2>')
        parts += [f"<h3>{html.escape(item.heading(zone))}</h3><pre>{html.escape(item.entry.text)}</pre>"
                  for item in items]
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
