"""`/cop status`: the state of this community at a glance, with what did not reach the platform."""

from __future__ import annotations

from plugin.commands.access import is_admin
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.storage.communities import community_counts
from plugin.storage.undelivered import Undelivered, undelivered
from plugin.texts import text

#: Undelivered messages an admin sees with their reasons (the rest: `kring outbox list`).
SHOWN_UNDELIVERED = 5


class StatusCommand(CommandBase):
    name = "status"
    hint = ""

    def answer(self, ctx: CommandContext) -> Reply:
        language = ctx.language
        community = ctx.community
        if community is None:
            return Reply(text("status.no_community", language, platform=ctx.invocation.platform,
                              group_id=ctx.invocation.group_id))
        if ctx.member is None:
            return Reply(text("need.member", language), personal=True)
        counts = community_counts(ctx.session, community.id)
        start = (text("status.start", language, date=community.start_date.isoformat())
                 if community.start_date else "")
        summary = text(
            "status.summary", language, name=community.name,
            members=text("count.members", language, count=counts.members),
            organisations=text("count.organisations", language, count=counts.organisations),
            language=community.language, timezone=community.timezone,
            cadence=community.meeting_cadence_weeks, months=community.run_length_months, start=start,
            workflows=", ".join(counts.workflows) or text("status.none", language),
            pending=counts.outbox_backlog,
        )
        problems = undelivered(ctx.session, community.id) if counts.undelivered else []
        if not problems:
            return Reply(summary)
        return Reply("\n".join([summary, *_undelivered_lines(problems, language, is_admin(ctx))]))


def _undelivered_lines(problems: list[Undelivered], language: str, admin: bool) -> list[str]:
    """A count for everyone; for admins the newest with their reasons, and where to see and retry them."""
    failed = sum(p.state == "failed" for p in problems)
    lines = [text("status.undelivered", language, retrying=len(problems) - failed, failed=failed)]
    if admin:
        lines += [text("status.undelivered.item", language, id=p.message_id, state=text(
            f"status.undelivered.{p.state}", language), operation=p.operation, target=p.target,
                       count=p.attempts, error=p.error[:200]) for p in problems[:SHOWN_UNDELIVERED]]
        lines.append(text("status.undelivered.next", language))
    return lines
