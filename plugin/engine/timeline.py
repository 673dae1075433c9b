"""Backcasting's steps in time: each step a line, with the year (or year and month) it should be done by.

``2029: every tender asks for reused material`` is a step placed in time; a line without a date is a
step too. Templates order the steps with the ``in_time`` filter, digests draw them on a timeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

_DATED = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?\s*[:\u2013\u2014-]\s*(.+?)\s*$")


@dataclass(frozen=True)
class Step:
    #: The line as written.
    text: str
    #: When the step should be done by: the first day of its month (of January for a bare year).
    by: date | None
    #: The date as written (``2028-06``) and the step without it; the whole line when undated.
    when: str = ""
    what: str = ""


def parse(line: str) -> Step:
    """A line as written; ``by`` when it starts with a plausible year (1900-2199), or year-month."""
    found = _DATED.match(line)
    if found is not None:
        year, month = int(found[1]), int(found[2] or 1)
        if 1900 <= year < 2200 and 1 <= month <= 12:
            when = f"{year}-{month:02d}" if found[2] else str(year)
            return Step(line.strip(), date(year, month, 1), when, found[3])
    return Step(line.strip(), None, "", line.strip())


def in_time(lines: Iterable[str]) -> list[str]:
    """The steps from now to the desired future: those without a date first, in reverse of how they
    were written (the last written is what we do now), then the dated ones by date (ties as written).
    A step several members named alike is kept once."""
    unique: dict[str, str] = {}
    for line in lines:
        if line.strip():
            unique.setdefault(line.strip().casefold(), line)
    steps = [parse(line) for line in unique.values()]
    undated = [s.text for s in reversed(steps) if s.by is None]
    dated = sorted((s for s in steps if s.by is not None), key=lambda s: s.by or date.min)
    return undated + [s.text for s in dated]
