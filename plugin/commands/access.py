"""Who may do what: a command needs a community, a member, or an admin of the community."""

from __future__ import annotations

from typing import Any

from plugin.commands.base import Command, CommandContext, Reply
from plugin.storage.audit import audit
from plugin.storage.states import MemberRole
from plugin.texts import text
from plugin.workflows.enablement import find


def is_admin(ctx: CommandContext, workflow_id: str | None = None) -> bool:
    """Admins of the community, or members listed (by user id) as admins of the enabled workflow
    ``workflow_id``."""
    member = ctx.member
    if member is not None and member.role == MemberRole.ADMIN:
        return True
    if workflow_id is None or ctx.community is None:
        return False
    enabled = find(ctx.session, ctx.community.id, workflow_id)
    listed = enabled.admins if enabled is not None else []
    return ctx.member is not None and ctx.invocation.user_id in listed


def is_admin_or_facilitator(ctx: CommandContext) -> bool:
    """Admins, and members with the facilitator role (who change the calendar and the domain statement)."""
    member = ctx.member
    return is_admin(ctx) or (member is not None and member.role == MemberRole.FACILITATOR)


def actor(ctx: CommandContext) -> str:
    """The invoking user as the audit log names them: ``platform:user name``."""
    return f"{ctx.invocation.platform}:{ctx.invocation.user_name or ctx.invocation.user_id}"


def audit_action(ctx: CommandContext, action: str, **details: Any) -> None:
    """Record an admin action by the invoking user in this community."""
    audit(ctx.session, actor=actor(ctx), action=action, now=ctx.now,
          community_id=ctx.community.id if ctx.community else None, **details)


def refusal(ctx: CommandContext, command: Command, *, admin: bool = False, member: bool = False, args: int = 0,
            numbered: bool = False, workflow_admins: bool = False) -> Reply | None:
    """Why ``ctx`` may not run ``command`` (no community, not an admin or member, too few arguments, a
    first argument that is not a number), or None when it may. With ``workflow_admins`` the admins
    listed for the workflow named by the first argument count as admins too."""
    if ctx.community is None:
        return Reply(text("need.community", ctx.language), personal=True)
    if admin and not is_admin(ctx, ctx.args[0] if workflow_admins and ctx.args else None):
        return Reply(text("need.admin", ctx.language, command=command.name), personal=True)
    if member and ctx.member is None:
        return Reply(text("need.member", ctx.language), personal=True)
    if len(ctx.args) < args or (numbered and not (ctx.args[0].isascii() and ctx.args[0].isdigit())):
        return Reply(text("usage", ctx.language, usage=command.usage_in(ctx.language)), personal=True)
    return None
