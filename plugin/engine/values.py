"""Typed values that workflows use: bilingual texts, durations, weekdays."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Text:
    """A text in every language Kring speaks; each may be a Jinja2 template."""

    nl: str
    en: str

    def get(self, language: str) -> str:
        return self.nl if language == "nl" else self.en


_DURATION = re.compile(r"(\d+)\s*(w|d|h|m|s)")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def parse_duration(text: str) -> timedelta:
    """'7d', '1h30m', '2w', '45m' → timedelta; raises ValueError on anything else."""
    compact = text.strip().lower().replace(" ", "")
    if not compact:
        raise ValueError("empty duration")
    position, total = 0, timedelta()
    for match in _DURATION.finditer(compact):
        if match.start() != position:
            break
        total += timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
        position = match.end()
    if position != len(compact):
        raise ValueError(f"not a duration: {text!r} (use e.g. 7d, 1h30m, 2w)")
    return total


def format_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    parts = []
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts) or "0s"


WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5, "zondag": 6,
}


def parse_range(text: str) -> tuple[int, int]:
    """`4-6` or `5` as (first, last) — a range of meetings; ValueError otherwise."""
    first, _, last = text.strip().partition("-")
    return int(first), int(last or first)
