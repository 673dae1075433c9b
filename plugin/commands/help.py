"""`/cop help [command|workflow]`: the list of commands, one command's usage, or a workflow's parameters
and commands."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from plugin.commands.base import Command, CommandBase, CommandContext, Reply
from plugin.commands.workflow_commands import WorkflowCommand, workflow_commands
from plugin.engine.model import Workflow
from plugin.storage.models import WorkflowEnablement
from plugin.texts import text
from plugin.workflows.catalog import current_catalog
from plugin.workflows.enablement import find


def suggestion(word: str, names: Iterable[str], language: str) -> str:
    """'Did you mean …?' for the nearest command name, or nothing."""
    close = difflib.get_close_matches(word, list(names), n=1, cutoff=0.6)
    return text("unknown.suggestion", language, name=close[0]) if close else ""


class HelpCommand(CommandBase):
    name = "help"
    hint = "[command|workflow]"

    def __init__(self, commands: Mapping[str, Command]) -> None:
        self.commands = commands

    def answer(self, ctx: CommandContext) -> Reply:
        language = ctx.language
        if ctx.args:
            return Reply(self._topic(ctx, ctx.args[0].lower()))
        lines = [text("help.title", language)]
        lines += [f"- `{c.usage_in(language)}` — {text(c.help_key, language)}" for c in self.commands.values()]
        extra = workflow_commands(ctx.session, ctx.community)
        if extra:
            lines.append(text("help.workflow_commands", language))
            lines += [f"- `{c.usage}` — {_command_help(c, language)}" for c in extra]
        lines.append(text("help.footer", language))
        return Reply("\n".join(lines))

    def _topic(self, ctx: CommandContext, topic: str) -> str:
        """One command's usage, a workflow command's, or a workflow's parameters and commands."""
        language = ctx.language
        command = self.commands.get(topic)
        if command is not None:
            return f"`{command.usage}` — {text(command.help_key, language)}"
        extra = workflow_commands(ctx.session, ctx.community)
        declared = next((c for c in extra if c.trigger.options["word"] == topic), None)
        if declared is not None:
            return f"`{declared.usage}` — {_command_help(declared, language)}"
        workflows = current_catalog(ctx.config).workflows
        if topic in workflows:
            enabled = find(ctx.session, ctx.community.id, topic) if ctx.community is not None else None
            return describe_workflow(workflows[topic], enabled, language)
        words = [*self.commands, *(c.trigger.options["word"] for c in extra)]
        close = difflib.get_close_matches(topic, [*words, *workflows], n=1, cutoff=0.6)
        hint = "" if not close else text("unknown.suggestion", language,
                                         name=close[0] if close[0] in words else f"help {close[0]}")
        return text("help.unknown_topic", language, topic=topic, suggestion=hint)


def _command_help(command: WorkflowCommand, language: str) -> str:
    given = command.trigger.options.get("help")
    return str(given.get(language) if given else command.workflow.title.get(language))


def describe_workflow(workflow: Workflow, enabled: WorkflowEnablement | None, language: str) -> str:
    """What `/cop help <workflow>` says: what it does, whether it is on here, its parameters (with the
    values in use) and its commands."""
    state = text("help.workflow.enabled" if enabled is not None and enabled.enabled else "help.workflow.disabled",
                 language)
    lines = [text("help.workflow.title", language, title=workflow.title.get(language), id=workflow.id,
                  version=workflow.version, state=state), workflow.description.get(language).strip()]
    values = dict(enabled.params or {}) if enabled is not None else {}
    if workflow.params:
        lines.append(text("help.workflow.params", language))
        for param in workflow.params:
            value = values.get(param.name, param.default)
            shown = text("help.workflow.required", language) if value is None and param.required else f"`{value}`"
            choices = f": {' | '.join(param.choices)}" if param.choices else ""
            about = f" — {param.help.get(language)}" if param.help else ""
            lines.append(f"- `{param.name}` ({param.type}{choices}) = {shown}{about}")
    commands = workflow.triggers_of("command")
    if commands:
        lines.append(text("help.workflow.commands", language))
        lines += [f"- `/cop {t.options['word']}`" for t in commands]
    lines.append(text("help.workflow.enable", language, id=workflow.id))
    return "\n".join(lines)
