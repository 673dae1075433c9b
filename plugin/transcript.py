"""A simulation's transcript: what every member saw, in order, as JSON and as text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from plugin.community_file import CommunitySpec


@dataclass
class Entry:
    """One thing in the transcript: a post, thread, direct message, a member's command or Kring's reply."""

    at: datetime
    kind: str
    text: str
    to: str | None = None
    thread: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "kind": self.kind, "to": self.to, "thread": self.thread,
                "text": self.text}


def write_transcript(out: Path, entries: list[Entry], workflow_ids: list[str], spec: CommunitySpec, jobs: int,
                     seconds: float, failed_runs: list[str], failed_deliveries: list[str]) -> dict[str, Any]:
    """Write transcript.json and transcript.txt into ``out``; the run's summary."""
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
    lines = []
    zone = ZoneInfo(spec.timezone)
    for entry in entries:
        where = {"thread": f"new thread {entry.thread}", "direct": f"to {entry.to}",
                 "member": f"{entry.to} types", "reply": f"Kring answers {entry.to}",
                 "membership": f"{entry.to}",
                 "post": f"in thread {entry.thread}" if entry.thread else "in group"}
        lines.append(f"[{entry.at.astimezone(zone):%Y-%m-%d %H:%M}] {where[entry.kind]}:")
        lines += [f"    {line}" for line in entry.text.splitlines()]
    (out / "transcript.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return summary
