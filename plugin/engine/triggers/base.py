"""The contract of a trigger type."""

from __future__ import annotations

from typing import ClassVar, Protocol

from marshmallow import Schema


class TriggerType(Protocol):
    """One way a run starts. Its module docstring is its user documentation."""

    ID: ClassVar[str]
    Options: ClassVar[type[Schema]]
    #: The option a scalar stands for: `- event: meeting_ended` means `- event: {name: meeting_ended}`.
    SHORTHAND: ClassVar[str | None]
