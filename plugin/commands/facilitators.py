"""`/cop facilitators [accept|decline <n> | swap <n> <member>]`: who facilitates which meeting, and
answering an assignment where there are no buttons (Discourse)."""

from __future__ import annotations

import sqlalchemy as sa

from plugin.commands.access import refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.cop import facilitation
from plugin.storage.models import Assignment, Member
from plugin.storage.numbers import typed_number
from plugin.texts import text

SHOWN = 6


class FacilitatorsCommand(CommandBase):
    name = "facilitators"
    hint = "[accept <n> | decline <n> | swap <n> <member>]"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self):
            return refused
        assert ctx.community is not None
        if not ctx.args:
            return self._overview(ctx)
        action = ctx.args[0].lower()
        if action not in ("accept", "decline", "swap") or len(ctx.args) < 2 or typed_number(ctx.args[1]) is None \
                or (action == "swap" and len(ctx.args) < 3):
            return Reply(text("usage", ctx.language, usage=self.usage_in(ctx.language)), personal=True)
        member = ctx.member
        if member is None:
            return Reply(text("need.member", ctx.language), personal=True)
        assignment = facilitation.assignment_for(ctx.session, ctx.community.id, int(ctx.args[1]))
        if assignment is None:
            return Reply(text("facilitators.none_for", ctx.language, number=ctx.args[1]), personal=True)
        if action == "swap":
            other = self._member_named(ctx, ctx.args[2].lstrip("@"))
            if other is None:
                return Reply(text("facilitators.unknown_member", ctx.language, name=ctx.args[2]), personal=True)
            result = facilitation.swap(ctx.session, assignment, member, other)
            return Reply(result.text(ctx.language), in_channel=result.key == "facilitators.swapped")
        result = facilitation.answer(ctx.session, ctx.community, member, assignment, action == "accept", ctx.now)
        return Reply(result.text(ctx.language), personal=True)

    def _member_named(self, ctx: CommandContext, name: str) -> Member | None:
        assert ctx.community is not None
        return ctx.session.scalar(sa.select(Member).where(
            Member.community_id == ctx.community.id,
            sa.or_(sa.func.lower(Member.username) == name.lower(), sa.func.lower(Member.name) == name.lower())))

    def _overview(self, ctx: CommandContext) -> Reply:
        assert ctx.community is not None
        numbers = ctx.session.scalars(sa.select(Assignment.meeting_number).where(
            Assignment.community_id == ctx.community.id, Assignment.kind == facilitation.KIND,
            Assignment.meeting_number.is_not(None)).distinct().order_by(Assignment.meeting_number.desc())
            .limit(SHOWN))
        lines = []
        for number in sorted(n for n in numbers if n is not None):
            pair = facilitation.facilitators_view(ctx.session, ctx.community.id, number)
            lines.append(text("facilitators.line", ctx.language, number=number, pair=", ".join(
                f"{role}: {p['name']}" + (f" ({text('facilitators.answer.' + p['answer'], ctx.language)})"
                                          if p["answer"] else "") for role, p in pair.items())))
        return Reply("\n".join([text("facilitators.title", ctx.language), *lines]) if lines
                     else text("facilitators.none", ctx.language))
