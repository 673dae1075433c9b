"""A workflow's step tree as a flat program: what the interpreter executes and a run's position
points into. Control steps (`when`, `for_each`) compile themselves into these instructions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from plugin.engine.model import Step


@dataclass(frozen=True)
class Exec:
    """Run one action step."""

    step: Step


@dataclass
class Branch:
    """Go on when ``condition`` holds, else jump to ``otherwise``."""

    condition: str
    otherwise: int = -1


@dataclass
class Jump:
    target: int = -1


@dataclass(frozen=True)
class LoopStart:
    """Take the list ``over`` gives as the items of ``loop``."""

    loop: str
    over: str


@dataclass
class LoopNext:
    """Bind the next item of ``loop`` to ``name``, or jump to ``end`` when there is none."""

    loop: str
    name: str
    end: int = -1


Instruction = Exec | Branch | Jump | LoopStart | LoopNext
Program = list[Instruction]
#: Compiles a list of steps onto the end of the program.
CompileSteps = Callable[[tuple[Step, ...]], None]


@runtime_checkable
class ControlStep(Protocol):
    """A step type the interpreter runs itself: it lays out its own instructions around its children."""

    def compile(self, step: Step, program: Program, compile_steps: CompileSteps) -> None: ...


def compile_steps(steps: tuple[Step, ...], step_types: Mapping[str, object], program: Program | None = None
                  ) -> Program:
    """``steps`` appended to ``program``: a control step lays out its own instructions, every other step
    becomes one :class:`Exec`."""
    program = [] if program is None else program

    def more(children: tuple[Step, ...]) -> None:
        compile_steps(children, step_types, program)

    for step in steps:
        kind = step_types[step.type]
        if isinstance(kind, ControlStep):
            kind.compile(step, program, more)
        else:
            program.append(Exec(step))
    return program
