"""The contract of a step type, and what a step sees while it runs."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol, runtime_checkable

from marshmallow import Schema

from plugin.engine.host import Host
from plugin.engine.model import Step
from plugin.engine.templates import TemplateFailed, evaluate, names_read, render
from plugin.engine.values import Text, parse_duration


@dataclass(frozen=True)
class Wake:
    """Why a waiting step runs again: its timer came due, or an event it waits for happened."""

    reason: str  # "timer" or "event"
    event: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Continue:
    """The step is done; ``result`` is stored under the step's id."""

    result: Any = None


@dataclass(frozen=True)
class Wait:
    """The step waits until ``until`` and/or for one of ``events``; it then runs again with a Wake."""

    until: datetime | None = None
    events: tuple[str, ...] = ()


Outcome = Continue | Wait


@dataclass
class StepContext:
    host: Host
    step: Step
    language: str
    variables: dict[str, Any]
    #: This step's own memory between a Wait and its Wake; empty on first entry.
    state: dict[str, Any]
    #: A key unique to this execution of this step in this run, for polls, questions, threads.
    key: str
    wake: Wake | None = None

    @property
    def options(self) -> dict[str, Any]:
        return self.step.options

    def context(self, names: Collection[str] | None = None) -> dict[str, Any]:
        """What templates see; of the host's values only ``names`` when given (see `names_read`)."""
        return {**self.host.template_context(names), **self.variables, "vars": self.variables,
                "language": self.language, "now": self.host.now()}

    def text(self, value: Text | str | None, *, message: bool = False) -> str:
        """An option's text in the run's language, rendered; a ``message`` is posted (its values inert)."""
        if value is None:
            return ""
        source = value.get(self.language) if isinstance(value, Text) else value
        return render(source, self.context(names_read(source)), message=message)

    def message(self, value: Text | str | None) -> str:
        return self.text(value, message=True)

    def evaluate(self, expression: str) -> Any:
        return evaluate(expression, self.context(names_read(expression, expression=True)))

    def number(self, value: int | str, minimum: int, maximum: int) -> int:
        """An option given as a number or as a template that renders one (checked against its range)."""
        if isinstance(value, int):
            return value
        rendered = self.text(value).strip()
        try:
            number = int(rendered)
        except ValueError as exc:
            raise TemplateFailed(f"{value!r} gave {rendered!r}, not a whole number") from exc
        if not minimum <= number <= maximum:
            raise TemplateFailed(f"{value!r} gave {number}; expected {minimum} to {maximum}")
        return number

    def duration(self, value: timedelta | str) -> timedelta:
        """An option given as a duration or as a template that renders one (7d, 2w, or a number of seconds)."""
        if isinstance(value, timedelta):
            return value
        rendered = self.text(value).strip()
        try:
            return timedelta(seconds=int(rendered)) if rendered.isdigit() else parse_duration(rendered)
        except ValueError as exc:
            raise TemplateFailed(f"{value!r} gave {rendered!r}, not a duration such as 7d or 2w") from exc


class StepType(Protocol):
    """One kind of step. Its module docstring is its user documentation."""

    ID: ClassVar[str]
    Options: ClassVar[type[Schema]]
    #: Option names that hold nested step lists (control steps the interpreter runs itself).
    CHILDREN: ClassVar[tuple[str, ...]]


@runtime_checkable
class ActionStep(StepType, Protocol):
    """A step that acts: it runs, and may wait and be woken."""

    def run(self, ctx: StepContext) -> Outcome: ...
