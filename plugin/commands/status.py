"""`/cop status`: the state of this community at a glance."""

from __future__ import annotations

from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.storage import outbox
from plugin.storage.communities import community_counts
from plugin.texts import text


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
        return Reply(text(
            "status.summary", language, name=community.name, members=counts.members,
            organisations=counts.organisations, language=community.language, timezone=community.timezone,
            cadence=community.meeting_cadence_weeks, months=community.run_length_months, start=start,
            workflows=", ".join(counts.workflows) or text("status.none", language),
            pending=outbox.backlog(ctx.session),
        ))
