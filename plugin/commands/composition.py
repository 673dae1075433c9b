"""`/cop composition` (admins): the composition report of step 2 of the toolbox."""

from __future__ import annotations

from plugin.commands.access import refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.cop.composition import composition, composition_report
from plugin.texts import text


class CompositionCommand(CommandBase):
    name = "composition"
    hint = ""

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, admin=True):
            return refused
        assert ctx.community is not None
        return Reply(text("composition.title", ctx.language, name=ctx.community.name) + "\n"
                     + composition_report(composition(ctx.session, ctx.community), ctx.language), personal=True)
