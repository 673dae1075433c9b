"""The typed model a workflow file is validated into."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plugin.engine.values import Text


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any
    required: bool
    help: Text | None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trigger:
    type: str
    options: dict[str, Any]
    line: int


@dataclass(frozen=True)
class Step:
    type: str
    id: str | None
    options: dict[str, Any]
    line: int
    #: Nested step lists by option name (``then``/``else`` of ``when``, ``steps`` of ``for_each``).
    children: dict[str, tuple[Step, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Workflow:
    id: str
    version: str
    title: Text
    description: Text
    params: tuple[Param, ...]
    triggers: tuple[Trigger, ...]
    steps: tuple[Step, ...]
    file: str
    source: str

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def triggers_of(self, kind: str) -> list[Trigger]:
        return [t for t in self.triggers if t.type == kind]
