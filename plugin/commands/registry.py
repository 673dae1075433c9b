"""The explicit list of `/cop` commands, and routing of an invocation to one of them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from plugin.commands.base import Command, CommandContext, DeferredCommand, Reply
from plugin.commands.composition import CompositionCommand
from plugin.commands.confirm import ConfirmCommand, UndoCommand
from plugin.commands.contact import ContactCommand
from plugin.commands.dashboard import DashboardCommand
from plugin.commands.digest import DigestCommand
from plugin.commands.domain import DomainCommand
from plugin.commands.enable import DisableCommand, EnableCommand
from plugin.commands.facilitators import FacilitatorsCommand
from plugin.commands.help import HelpCommand, suggestion
from plugin.commands.intro import IntroCommand
from plugin.commands.journal import CoalitionCommand, PersonalEntryCommand, SignalCommand
from plugin.commands.meeting import AbsentCommand, MeetingCommand
from plugin.commands.personal import ConsentCommand, NotesCommand
from plugin.commands.publish import PublishCommand
from plugin.commands.respond import AnswerCommand, VoteCommand
from plugin.commands.runs import CancelCommand, RunCommand, RunsCommand
from plugin.commands.status import StatusCommand
from plugin.commands.workflow_commands import run_workflow_command
from plugin.commands.workflows_list import WorkflowsCommand
from plugin.engine.journal import EntryKind
from plugin.platforms.events import CommandInvoked
from plugin.runtime import Runtime
from plugin.storage.communities import communities_of_user, community_with_member, current_member
from plugin.texts import text

COMMANDS: dict[str, Command] = {}
COMMANDS.update({c.name: c for c in (
    HelpCommand(COMMANDS), StatusCommand(), IntroCommand(), WorkflowsCommand(), EnableCommand(), DisableCommand(),
    RunsCommand(), RunCommand(), CancelCommand(), ConfirmCommand(), UndoCommand(), AnswerCommand(), VoteCommand(),
    MeetingCommand(), AbsentCommand(), FacilitatorsCommand(), DomainCommand(), SignalCommand(), CoalitionCommand(),
    PersonalEntryCommand("log", EntryKind.LOG), PersonalEntryCommand("goal", EntryKind.GOAL), NotesCommand(),
    ConsentCommand(), CompositionCommand(), ContactCommand(), DigestCommand(), DashboardCommand(), PublishCommand(),
)})


def resolve(words: list[str]) -> tuple[Command | None, list[str]]:
    """The command named by the first word (`help` when there is none) and its arguments."""
    if not words:
        return COMMANDS["help"], []
    return COMMANDS.get(words[0].lower()), words[1:]


def context_for(session: Session, invocation: CommandInvoked, runtime: Runtime) -> CommandContext:
    """The command's context. Typed outside a community's group (a direct message with the bot), the
    command is about the one community the member is in; a member of several is asked which."""
    community, member = community_with_member(session, invocation.platform, invocation.group_id, invocation.user_id)
    choices: tuple[str, ...] = ()
    if community is None and invocation.direct:
        theirs = communities_of_user(session, invocation.platform, invocation.user_id)
        community = theirs[0] if len(theirs) == 1 else None
        choices = tuple(c.name for c in theirs) if len(theirs) > 1 else ()
        member = current_member(session, community.id, invocation.user_id) if community else None
    language = community.language if community else runtime.config.language
    _, args = resolve(invocation.words)
    connector = runtime.connector(invocation.platform)
    return CommandContext(invocation, args, language, community, session, runtime.config, runtime.clock.now(),
                          missing_settings=None if connector.outbound is not None else connector.settings,
                          choices=choices, member=member)


def answer(ctx: CommandContext) -> Reply:
    """Answer inside the request; unknown words get a helpful reply, never an error."""
    words = ctx.invocation.words
    command, _ = resolve(words)
    if ctx.choices and command is not COMMANDS["help"]:
        return Reply(text("command.which_community", ctx.language, names=", ".join(ctx.choices)), personal=True)
    if command is None:
        word = words[0]
        started = run_workflow_command(ctx, word.lower())
        if started is not None:
            return started
        return Reply(text("unknown.command", ctx.language, word=word,
                          suggestion=suggestion(word.lower(), COMMANDS, ctx.language)))
    if command.private and ctx.args and ctx.invocation.read_by_group:
        # A command written as a post the whole group reads: not recorded, and the member told where.
        return Reply(text("command.private_only", ctx.language, command=command.name), personal=True)
    return command.answer(ctx)


def deferred_part(invocation: CommandInvoked) -> DeferredCommand | None:
    """The command whose slow part the worker must run for ``invocation``, if it has one."""
    command, _ = resolve(invocation.words)
    return command if isinstance(command, DeferredCommand) else None
