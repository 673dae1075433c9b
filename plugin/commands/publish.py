"""`/cop publish [off]`: put the results page for the field online, or take it down (admins)."""

from __future__ import annotations

from plugin.commands.access import actor, refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.pages import public
from plugin.texts import text

OFF_WORDS = ("off", "uit")


class PublishCommand(CommandBase):
    name = "publish"
    hint = "[off]"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, admin=True):
            return refused
        assert ctx.community is not None
        on = not (ctx.args and ctx.args[0].lower() in OFF_WORDS)
        if on and not ctx.config.public_url:
            return Reply(text("publish.no_public_url", ctx.language), personal=True)
        public.set_published(ctx.session, ctx.community, on, actor=actor(ctx), now=ctx.now)
        if not on:
            return Reply(text("publish.off", ctx.language, name=ctx.community.name), in_channel=True)
        url = (ctx.config.public_url or "").rstrip("/") + public.public_path(ctx.community.id)
        return Reply(text("publish.done", ctx.language, name=ctx.community.name, url=url), in_channel=True)
