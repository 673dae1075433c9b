"""The explicit list of `/cop` commands, and routing of an invocation to one of them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from plugin.commands.base import Command, CommandContext, DeferredCommand, Invocation, Reply
from plugin.commands.help import HelpCommand, suggestion
from plugin.commands.intro import IntroCommand
from plugin.commands.status import StatusCommand
from plugin.storage.communities import find_community
from plugin.texts import text

COMMANDS: dict[str, Command] = {}
COMMANDS.update({c.name: c for c in (HelpCommand(COMMANDS), StatusCommand(), IntroCommand())})


def resolve(words: list[str]) -> tuple[Command | None, list[str]]:
    """The command named by the first word (`help` when there is none) and its arguments."""
    if not words:
        return COMMANDS["help"], []
    return COMMANDS.get(words[0].lower()), words[1:]


def context_for(session: Session, invocation: Invocation, default_language: str, can_post: bool) -> CommandContext:
    community = find_community(session, invocation.platform, invocation.group_id)
    language = community.language if community else default_language
    _, args = resolve(invocation.words)
    return CommandContext(invocation, args, language, community, session, can_post)


def answer(ctx: CommandContext) -> Reply:
    """Answer inside the request; unknown words get a helpful reply, never an error."""
    words = ctx.invocation.words
    command, _ = resolve(words)
    if command is None:
        word = words[0]
        return Reply(text("unknown.command", ctx.language, word=word,
                          suggestion=suggestion(word.lower(), COMMANDS, ctx.language)))
    return command.answer(ctx)


def deferred_part(invocation: Invocation) -> DeferredCommand | None:
    """The command whose slow part the worker must run for ``invocation``, if it has one."""
    command, _ = resolve(invocation.words)
    return command if isinstance(command, DeferredCommand) else None
