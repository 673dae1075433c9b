"""Commands that workflows declare with a `command` trigger: `/cop <word> [arguments]` starts a run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from plugin.commands.base import CommandContext, Reply
from plugin.engine.model import Trigger, Workflow
from plugin.engine.params import InvalidValue, parse_value
from plugin.engine.triggers.command import CommandTrigger
from plugin.platforms.events import CommandInvoked
from plugin.storage.models import Community, WorkflowEnablement
from plugin.texts import text
from plugin.workflows import runs
from plugin.workflows.catalog import enabled_workflows


@dataclass(frozen=True)
class WorkflowCommand:
    enablement: WorkflowEnablement
    workflow: Workflow
    trigger: Trigger

    @property
    def usage(self) -> str:
        args = " ".join(f"<{a['name']}>" if a["required"] else f"[{a['name']}]" for a in self.trigger.options["args"])
        return f"/cop {self.trigger.options['word']} {args}".strip()


def workflow_commands(session: Session, community: Community | None) -> list[WorkflowCommand]:
    """The command triggers of the workflows enabled in ``community``."""
    if community is None:
        return []
    return [WorkflowCommand(enablement, workflow, trigger)
            for enablement, workflow in enabled_workflows(session, community.id)
            for trigger in workflow.triggers_of("command")]


def _arguments(command: WorkflowCommand, invocation: CommandInvoked, words: list[str], language: str
               ) -> dict[str, Any] | Reply:
    declared = command.trigger.options["args"]
    values: dict[str, Any] = {}
    for index, argument in enumerate(declared):
        last = index == len(declared) - 1
        raw = invocation.free_text(index + 1) if last else (words[index] if index < len(words) else "")
        if not raw:
            if argument["required"]:
                return Reply(text("args.missing", language, name=argument["name"], usage=command.usage))
            values[argument["name"]] = None
            continue
        try:
            values[argument["name"]] = parse_value(argument["type"], raw, tuple(argument["choices"]))
        except InvalidValue as exc:
            return Reply(text("args.invalid", language, name=argument["name"], problem=exc.in_language(language),
                              usage=command.usage))
    return values


def run_workflow_command(ctx: CommandContext, word: str) -> Reply | None:
    """Start the run a workflow command asks for; None when no enabled workflow has that word."""
    for command in workflow_commands(ctx.session, ctx.community):
        if command.trigger.options["word"] != word:
            continue
        if ctx.member is None:
            return Reply(text("need.member", ctx.language), personal=True)
        arguments = _arguments(command, ctx.invocation, ctx.args, ctx.language)
        if isinstance(arguments, Reply):
            return arguments
        run = runs.start_run(ctx.session, command.enablement, trigger=f"/cop {word} by {ctx.invocation.user_name}",
                             inputs={"workflow": command.workflow.id, **CommandTrigger().run_inputs(
                                 command.trigger.options, {"args": arguments, "user_id": ctx.invocation.user_id,
                                                           "member": ctx.member.id})},
                             now=ctx.now)
        return Reply(text("run.started", ctx.language, title=command.workflow.title.get(ctx.language), id=run.id))
    return None
