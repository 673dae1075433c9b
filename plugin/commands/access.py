"""Who may do what: a command needs a community, a member, or an admin of the community."""

from __future__ import annotations

from plugin.commands.base import CommandContext, Reply
from plugin.storage.models import WorkflowEnablement
from plugin.storage.states import MemberRole
from plugin.texts import text


def is_admin(ctx: CommandContext, enablement: WorkflowEnablement | None = None) -> bool:
    """Admins of the community, or users listed as admins of this one workflow."""
    member = ctx.member
    if member is not None and member.role == MemberRole.ADMIN:
        return True
    listed = enablement.admins if enablement is not None else []
    return ctx.invocation.user_id in listed or ctx.invocation.user_name in listed


def refusal(ctx: CommandContext, command: str, *, admin: bool = False, member: bool = False,
            enablement: WorkflowEnablement | None = None) -> Reply | None:
    """The reason ``ctx`` may not run ``command``, or None when it may."""
    if ctx.community is None:
        return Reply(text("need.community", ctx.language))
    if admin and not is_admin(ctx, enablement):
        return Reply(text("need.admin", ctx.language, command=command))
    if member and ctx.member is None:
        return Reply(text("need.member", ctx.language))
    return None
