"""`/cop intro`: Kring posts an introduction of itself and the toolbox's eight steps."""

from __future__ import annotations

from plugin.commands.base import CommandBase, CommandContext, Effects, Reply
from plugin.texts import text


class IntroCommand(CommandBase):
    name = "intro"
    hint = ""

    def answer(self, ctx: CommandContext) -> Reply:
        if ctx.community is not None and ctx.member is None:  # before a channel is a community, anyone may
            return Reply(text("need.member", ctx.language), personal=True)
        if ctx.missing_settings is not None:
            return Reply(text("intro.no_platform", ctx.language, setting=ctx.missing_settings))
        return Reply(text("intro.queued", ctx.language), deferred=True)

    def perform(self, ctx: CommandContext, effects: Effects) -> None:
        effects.post(text("intro.message", ctx.language), thread_id=ctx.invocation.thread_id)
