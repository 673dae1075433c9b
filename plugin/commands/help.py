"""`/cop help [command]`: the list of commands, or one command's usage."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from plugin.commands.base import Command, CommandBase, CommandContext, Reply
from plugin.commands.workflow_commands import workflow_commands
from plugin.texts import text


def suggestion(word: str, names: Iterable[str], language: str) -> str:
    """'Did you mean …?' for the nearest command name, or nothing."""
    close = difflib.get_close_matches(word, list(names), n=1, cutoff=0.6)
    return text("unknown.suggestion", language, name=close[0]) if close else ""


class HelpCommand(CommandBase):
    name = "help"
    hint = "[command]"

    def __init__(self, commands: Mapping[str, Command]) -> None:
        self.commands = commands

    def answer(self, ctx: CommandContext) -> Reply:
        language = ctx.language
        if ctx.args:
            topic = ctx.args[0].lower()
            command = self.commands.get(topic)
            if command is None:
                return Reply(text("help.unknown_topic", language, topic=topic,
                                  suggestion=suggestion(topic, self.commands, language)))
            return Reply(f"`{command.usage}` — {text(command.help_key, language)}")
        lines = [text("help.title", language)]
        lines += [f"- `{c.usage}` — {text(c.help_key, language)}" for c in self.commands.values()]
        extra = workflow_commands(ctx.session, ctx.community)
        if extra:
            lines.append(text("help.workflow_commands", language))
            lines += [f"- `{c.usage}` — " + (c.trigger.options["help"].get(language) if c.trigger.options.get("help")
                                            else c.workflow.title.get(language)) for c in extra]
        lines.append(text("help.footer", language))
        return Reply("\n".join(lines))
