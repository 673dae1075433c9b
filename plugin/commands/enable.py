"""`/cop enable <workflow> [name=value …]` and `/cop disable <workflow>` (admins; disabling asks for a
confirmation first: :mod:`plugin.workflows.planned`)."""

from __future__ import annotations

import sqlalchemy as sa

from plugin.commands.access import audit_action, refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.commands.confirm import asked
from plugin.engine.problems import did_you_mean
from plugin.storage.communities import current_member_of
from plugin.storage.models import Member
from plugin.texts import text
from plugin.workflows import enablement
from plugin.workflows.catalog import current_catalog


def _settings(ctx: CommandContext) -> dict[str, str] | Reply:
    try:
        return enablement.settings_from(" ".join(ctx.args[1:]))
    except enablement.BadSettings as bad:
        usage = text("usage", ctx.language, usage=EnableCommand().usage_in(ctx.language))
        return Reply(text(bad.key, ctx.language, **bad.values) + (f" {usage}" if bad.key == "enable.unclosed_quote"
                                                                  else ""))


#: `/cop enable flow admins=@anna,@bram` lets those members manage this one workflow.
ADMINS_SETTING = "admins"


def _admin_ids(ctx: CommandContext, value: str) -> list[str] | Reply:
    """The platform user ids of the members named in ``admins=@anna,@bram``: a name is looked up once,
    here, so that whoever later takes a name that was given does not become an admin."""
    assert ctx.community is not None
    names = [name.strip().lstrip("@") for name in value.replace(" ", ",").split(",") if name.strip()]
    members = {str(member.username).lower(): member.platform_user_id for member in ctx.session.scalars(
        sa.select(Member).where(current_member_of(ctx.community.id), Member.username.is_not(None)))}
    unknown = [name for name in names if name.lower() not in members]
    if unknown:
        return Reply(text("enable.unknown_admins", ctx.language, names=", ".join(f"@{name}" for name in unknown)))
    return [members[name.lower()] for name in names]


class EnableCommand(CommandBase):
    name = "enable"
    hint = "<workflow> [name=value …] [admins=@user,…]"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, admin=True, args=1, workflow_admins=True):
            return refused
        assert ctx.community is not None
        workflow_id = ctx.args[0]
        known = current_catalog(ctx.config).workflows
        workflow = known.get(workflow_id)
        if workflow is None:
            return Reply(text("workflow.unknown", ctx.language, id=workflow_id,
                              suggestion=did_you_mean(workflow_id, known, ctx.language) if known else ""))
        settings = _settings(ctx)
        if isinstance(settings, Reply):
            return settings
        named = settings.pop(ADMINS_SETTING, None)
        admins = _admin_ids(ctx, named) if named is not None else None
        if isinstance(admins, Reply):
            return admins
        try:
            enabled = enablement.enable(ctx.session, ctx.community, workflow, settings, ctx.invocation.user_id,
                                        ctx.now, admins=admins)
        except enablement.InvalidParams as exc:
            problems = "\n".join(f"- {problem}" for problem in exc.problems)
            return Reply(text("enable.invalid", ctx.language, id=workflow_id, problems=problems))
        audit_action(ctx, "enable", workflow=workflow.id, version=workflow.version, params=enabled.params,
                     admins=enabled.admins)
        values = enablement.settings_shown(enabled.params, ctx.language)
        return Reply(text("enable.done", ctx.language, title=workflow.title.get(ctx.language),
                          version=workflow.version,
                          params=text("enable.params", ctx.language, values=values) if values else ""),
                     in_channel=True)


class DisableCommand(CommandBase):
    name = "disable"
    hint = "<workflow>"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, admin=True, args=1, workflow_admins=True):
            return refused
        return asked(ctx, "disable", ctx.args[0])
