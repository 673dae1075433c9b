"""`/cop confirm <n>` and `/cop undo <n>`: the second and third step of a destructive admin action
(:mod:`plugin.workflows.planned`), also offered as buttons where the platform shows them."""

from __future__ import annotations

from datetime import datetime

from plugin.commands.access import actor, refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.localized import duration
from plugin.platforms.base import Button
from plugin.storage.models import Community, PlannedAction
from plugin.texts import text
from plugin.workflows import planned as planned_actions
from plugin.workflows.planned import CONFIRM_WITHIN, Refused


def _button(key: str, action: str, community: Community, planned: PlannedAction, until: datetime) -> Button:
    return Button(text(key, community.language), action,
                  {"community": community.id, "planned": planned.id, "for_user": planned.user_id}, until.isoformat())


def asked(ctx: CommandContext, kind: str, target: str) -> Reply:
    """Ask the invoking admin to confirm ``kind`` on ``target``: nothing changes yet."""
    assert ctx.community is not None
    try:
        planned = planned_actions.ask(ctx.session, ctx.community, kind, target, user_id=ctx.invocation.user_id,
                                      actor=actor(ctx), now=ctx.now)
    except Refused as refused:
        return Reply(text(refused.key, ctx.language, **refused.values), personal=True)
    question = text("planned.ask", ctx.language, what=planned_actions.describe(planned, ctx.language), ref=planned.id,
                    within=duration(CONFIRM_WITHIN, ctx.language))
    return Reply(question, personal=True, buttons=(
        _button("planned.button.confirm", "confirm", ctx.community, planned, ctx.now + CONFIRM_WITHIN),))


class _AnswerCommand(CommandBase):
    """`/cop confirm <n>` and `/cop undo <n>`: one step of an asked action, taken by whoever asked it."""

    hint = "<n>"

    def step(self, ctx: CommandContext, community: Community) -> PlannedAction:
        raise NotImplementedError

    def reply(self, community: Community, planned: PlannedAction) -> Reply:
        raise NotImplementedError

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, args=1):
            return refused
        assert ctx.community is not None
        try:
            planned = self.step(ctx, ctx.community)
        except Refused as refused_now:
            return Reply(text(refused_now.key, ctx.language, **refused_now.values), personal=True)
        return self.reply(ctx.community, planned)


class ConfirmCommand(_AnswerCommand):
    name = "confirm"

    def step(self, ctx: CommandContext, community: Community) -> PlannedAction:
        return planned_actions.confirm(ctx.session, community, ctx.args[0], ctx.invocation.user_id, ctx.now)

    def reply(self, community: Community, planned: PlannedAction) -> Reply:
        assert planned.due_at is not None
        return Reply(planned_actions.confirmed(community, planned), personal=True,
                     buttons=(_button("planned.button.undo", "undo", community, planned, planned.due_at),))


class UndoCommand(_AnswerCommand):
    name = "undo"

    def step(self, ctx: CommandContext, community: Community) -> PlannedAction:
        return planned_actions.undo(ctx.session, community, ctx.args[0], ctx.invocation.user_id, ctx.now)

    def reply(self, community: Community, planned: PlannedAction) -> Reply:
        return Reply(planned_actions.undone(community, planned), personal=True)
