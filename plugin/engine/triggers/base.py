"""The contract of a trigger type, and the two ways a trigger can be due by the clock."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from marshmallow import Schema


class TriggerType(Protocol):
    """One way a run starts. Its module docstring is its user documentation."""

    ID: ClassVar[str]
    Options: ClassVar[type[Schema]]
    #: The option a scalar stands for: `- event: meeting_ended` means `- event: {name: meeting_ended}`.
    SHORTHAND: ClassVar[str | None]

    def run_inputs(self, options: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        """What a run this trigger starts receives (as `trigger`, `event`, …), given what started it."""
        ...


class Trigger:
    """The common part: a run learns which trigger type started it."""

    ID: ClassVar[str]

    def run_inputs(self, options: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        return {"trigger": {"type": self.ID}}


@runtime_checkable
class Scheduled(Protocol):
    """A trigger due at moments its options describe (`schedule`)."""

    def next_due(self, options: dict[str, Any], after: datetime, zone: ZoneInfo, anchor: date) -> datetime:
        """The first moment after ``after``; ``anchor`` is the day counting starts (the community's start)."""
        ...


@runtime_checkable
class MeetingRelative(Protocol):
    """A trigger due at an offset from every meeting (`before_meeting`, `after_meeting`)."""

    def due(self, options: dict[str, Any], starts_at: datetime, ends_at: datetime) -> datetime: ...
