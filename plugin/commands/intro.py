"""`/cop intro`: Kring posts an introduction of itself and the toolbox's eight steps."""

from __future__ import annotations

from plugin.commands.base import CommandContext, Effects, Reply
from plugin.runtime import PLATFORM_SETTINGS
from plugin.texts import text


class IntroCommand:
    name = "intro"
    usage = "/cop intro"

    def answer(self, ctx: CommandContext) -> Reply:
        if not ctx.can_post:
            return Reply(text("intro.no_platform", ctx.language,
                              setting=PLATFORM_SETTINGS[ctx.invocation.platform]))
        return Reply(text("intro.queued", ctx.language), deferred=True)

    def perform(self, ctx: CommandContext, effects: Effects) -> None:
        effects.post(text("intro.message", ctx.language), thread_id=ctx.invocation.thread_id)
