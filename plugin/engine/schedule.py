"""When a schedule fires: cron or 'every N weeks on tuesday 14:00', in the community's time zone.

Both are evaluated on local wall-clock time and converted per occurrence, so a meeting at 14:00
stays at 14:00 across daylight-saving changes. A local time skipped by a spring-forward change
fires at the same instant the clock jumps over it; a repeated one fires once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from croniter import croniter

from plugin.engine.values import WEEKDAYS

_EVERY = re.compile(
    r"^every\s+(?:(?P<count>\d+)\s+)?(?P<unit>day|days|week|weeks)"
    r"(?:\s+on\s+(?P<weekday>[a-z]+))?(?:\s+at)?\s+(?P<time>\d{1,2}:\d{2})$"
)


@dataclass(frozen=True)
class Every:
    days: int
    weekday: int | None
    at: time


def parse_every(text: str) -> Every:
    match = _EVERY.match(text.strip().lower())
    if not match:
        raise ValueError(f"expected e.g. 'every 6 weeks on tuesday 14:00' or 'every day at 09:00', got {text!r}")
    count = int(match.group("count") or 1)
    if count < 1:
        raise ValueError("the interval must be at least 1")
    weekday = match.group("weekday")
    if weekday is not None and weekday not in WEEKDAYS:
        raise ValueError(f"unknown weekday {weekday!r}")
    unit_days = 7 if match.group("unit").startswith("week") else 1
    if weekday is not None and unit_days == 1:
        raise ValueError("'on <weekday>' only goes with weeks")
    return Every(days=count * unit_days, weekday=WEEKDAYS[weekday] if weekday else None,
                 at=time.fromisoformat(match.group("time").zfill(5)))


def check_cron(expression: str) -> None:
    if not croniter.is_valid(expression):
        raise ValueError(f"not a cron expression: {expression!r} (five fields: minute hour day month weekday)")


def _local_to_utc(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.replace(tzinfo=zone, fold=0).astimezone(UTC)


def next_every(rule: Every, after: datetime, zone: ZoneInfo, anchor: date) -> datetime:
    """The first occurrence strictly after ``after``, counting intervals from ``anchor``."""
    first = anchor
    if rule.weekday is not None:
        first = anchor + timedelta(days=(rule.weekday - anchor.weekday()) % 7)
    local_after = after.astimezone(zone).date()
    steps = max((local_after - first).days // rule.days, 0)
    day = first + timedelta(days=steps * rule.days)
    while True:
        candidate = _local_to_utc(datetime.combine(day, rule.at), zone)
        if candidate > after:
            return candidate
        day += timedelta(days=rule.days)


def next_cron(expression: str, after: datetime, zone: ZoneInfo) -> datetime:
    local = after.astimezone(zone).replace(tzinfo=None)
    iterator = croniter(expression, local)
    while True:
        candidate = _local_to_utc(iterator.get_next(datetime), zone)
        if candidate > after:
            return candidate
