"""Runs a workflow: its step tree compiled to a flat program, executed until a step waits.

The program is derived deterministically from the (pinned) workflow, so a run's position is just a
program counter plus its variables, loop positions and the waiting step's memory — plain JSON that
the storage layer keeps. Nothing here knows about databases or queues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plugin.engine.host import Host
from plugin.engine.model import Step, Workflow
from plugin.engine.program import Branch, Exec, Instruction, Jump, LoopStart, compile_steps
from plugin.engine.steps import STEP_TYPES
from plugin.engine.steps.base import ActionStep, Continue, StepContext, Wait, Wake
from plugin.engine.templates import TemplateFailed, evaluate, names_read

#: A run may execute at most this many instructions per advance: a guard against endless loops.
MAX_INSTRUCTIONS = 20_000
#: for_each over these names iterates the host's lists.
COLLECTIONS = ("members", "organisations", "meetings")


@dataclass
class RunState:
    """Where a run is: JSON-safe, stored with the run."""

    pc: int = 0
    variables: dict[str, Any] = field(default_factory=dict)
    loops: dict[str, dict[str, Any]] = field(default_factory=dict)
    step_state: dict[str, Any] = field(default_factory=dict)
    #: Counts step executions; makes keys (polls, questions, threads) unique within the run.
    executions: int = 0
    #: Counts waits; a timer or event meant for an older wait is recognised as stale.
    waits: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"pc": self.pc, "variables": self.variables, "loops": self.loops, "step_state": self.step_state,
                "executions": self.executions, "waits": self.waits}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunState:
        return cls(**data) if data else cls()


@dataclass(frozen=True)
class Finished:
    pass


@dataclass(frozen=True)
class Waiting:
    wait: Wait
    #: The number of this wait; wakes must carry it.
    token: int


Outcome = Finished | Waiting


class WorkflowFailed(Exception):
    """A run cannot go on; the message names the step and line."""


class Interpreter:
    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self.program = compile_steps(workflow.steps, STEP_TYPES)

    def advance(self, state: RunState, host: Host, language: str, run_key: str, wake: Wake | None = None
                ) -> Outcome:
        """Execute from ``state.pc`` until a step waits or the program ends; ``state`` is updated in place."""
        for _ in range(MAX_INSTRUCTIONS):
            if state.pc >= len(self.program):
                return Finished()
            instruction = self.program[state.pc]
            try:
                outcome = self._execute(instruction, state, host, language, run_key, wake)
            except TemplateFailed as exc:
                line = instruction.step.line if isinstance(instruction, Exec) else "?"
                raise WorkflowFailed(f"{self.workflow.file}:{line}: {exc}") from exc
            wake = None
            if outcome is not None:
                state.waits += 1
                return Waiting(outcome, state.waits)
        raise WorkflowFailed(f"{self.workflow.id}: more than {MAX_INSTRUCTIONS} steps without waiting; "
                             "is there an endless loop?")

    def _execute(self, instruction: Instruction, state: RunState, host: Host, language: str, run_key: str,
                 wake: Wake | None) -> Wait | None:
        if isinstance(instruction, Exec):
            return self._step(instruction.step, state, host, language, run_key, wake)
        if isinstance(instruction, Branch):
            truthy = bool(evaluate(instruction.condition, self._context(host, state, language, instruction.condition)))
            state.pc = state.pc + 1 if truthy else instruction.otherwise
        elif isinstance(instruction, Jump):
            state.pc = instruction.target
        elif isinstance(instruction, LoopStart):
            state.loops[instruction.loop] = {"items": self._items(instruction.over, host, state, language),
                                             "index": -1}
            state.pc += 1
        else:
            loop = state.loops[instruction.loop]
            loop["index"] += 1
            if loop["index"] >= len(loop["items"]):
                del state.loops[instruction.loop]
                state.variables.pop(instruction.name, None)
                state.pc = instruction.end
            else:
                state.variables[instruction.name] = loop["items"][loop["index"]]
                state.pc += 1
        return None

    def _step(self, step: Step, state: RunState, host: Host, language: str, run_key: str, wake: Wake | None
              ) -> Wait | None:
        step_type = STEP_TYPES[step.type]
        assert isinstance(step_type, ActionStep)
        if wake is None:
            state.executions += 1
            state.step_state = {}
        ctx = StepContext(host=host, step=step, language=language, variables=state.variables,
                          state=state.step_state, key=f"{run_key}-{state.executions}", wake=wake)
        outcome = step_type.run(ctx)
        if isinstance(outcome, Wait):
            return outcome
        assert isinstance(outcome, Continue)
        if step.id is not None:
            state.variables[step.id] = outcome.result
        state.step_state = {}
        state.pc += 1
        return None

    def _context(self, host: Host, state: RunState, language: str, expression: str) -> dict[str, Any]:
        """What ``expression`` sees (of the host's values only those it names)."""
        return {**host.template_context(names_read(expression, expression=True)), **state.variables,
                "vars": state.variables, "language": language,
                "now": host.now()}

    def _items(self, over: str, host: Host, state: RunState, language: str) -> list[Any]:
        context = self._context(host, state, language, over)
        value = context[over] if over in COLLECTIONS else evaluate(over, context)
        if not isinstance(value, list | tuple):
            raise WorkflowFailed(f"for_each over {over!r} gave {type(value).__name__}, not a list")
        return list(value)
