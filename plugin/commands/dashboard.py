"""`/cop dashboard`: a one-time sign-in link to the organiser pages, for an organiser alone."""

from __future__ import annotations

from plugin.commands.access import refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.localized import duration
from plugin.pages.access import organiser
from plugin.pages.links import LINK_VALIDITY, make_link
from plugin.runtime import signer_for
from plugin.texts import text


class DashboardCommand(CommandBase):
    name = "dashboard"
    hint = ""
    private = True

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True):
            return refused
        assert ctx.community is not None
        if organiser(ctx.session, ctx.community.id, ctx.invocation.user_id) is None:
            return Reply(text("need.admin", ctx.language, command=self.name), personal=True)
        if not ctx.config.public_url:
            return Reply(text("dashboard.no_public_url", ctx.language), personal=True)
        token = make_link(signer_for(ctx.config), ctx.community.id, ctx.invocation.user_id, ctx.now)
        url = f"{ctx.config.public_url.rstrip('/')}/pages/login?t={token}"
        return Reply(text("dashboard.link", ctx.language, community=ctx.community.name, url=url,
                          within=duration(LINK_VALIDITY, ctx.language)), personal=True)
