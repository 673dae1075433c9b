"""`/cop meeting next|list|move <n> <date> [time]|cancel <n>` and `/cop absent <n>` — the CoP's calendar."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa

from plugin.commands.access import audit_action, is_admin_or_facilitator, refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.commands.confirm import asked
from plugin.cop import calendar, facilitation
from plugin.cop.calendar import CalendarRefused
from plugin.cop.calendar_feed import feed_path
from plugin.cop.facilitation import facilitators_view
from plugin.storage.models import Community, Meeting
from plugin.storage.states import MeetingStatus
from plugin.texts import text
from plugin.workflows import meetings


def meeting_line(ctx: CommandContext, community: Community, meeting: Meeting) -> str:
    local = meeting.starts_at.astimezone(ZoneInfo(community.timezone))
    pair = facilitators_view(ctx.session, community.id, meeting.number)
    state = calendar.meeting_state(meeting, ctx.now)
    status = "" if state == "planned" else text(f"meeting.status.{state}", ctx.language)
    who = text("meeting.facilitated_by", ctx.language, names=" & ".join(p["name"] for p in pair.values())) \
        if pair else ""
    return text("meeting.line", ctx.language, number=meeting.number, date=local.strftime("%Y-%m-%d"),
                time=local.strftime("%H:%M"), status=status, facilitators=who)


def _feed_line(ctx: CommandContext) -> list[str]:
    """Where a member subscribes to the meetings in their own calendar (when Kring knows its address)."""
    if ctx.community is None or not ctx.config.public_url:
        return []
    url = ctx.config.public_url.rstrip("/") + feed_path(ctx.config.secret_key, ctx.community.id)
    return ["", text("feed.subscribe", ctx.language, url=url)]


class MeetingCommand(CommandBase):
    name = "meeting"
    hint = "next|list|move <n> <YYYY-MM-DD> [HH:MM]|cancel <n>"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self):
            return refused
        assert ctx.community is not None
        action = ctx.args[0].lower() if ctx.args else "next"
        try:
            if action == "next":
                return self._next(ctx, ctx.community)
            if action == "list":
                meetings = ctx.session.scalars(sa.select(Meeting).where(Meeting.community_id == ctx.community.id)
                                               .order_by(Meeting.number))
                lines = [meeting_line(ctx, ctx.community, m) for m in meetings]
                if not lines:
                    return Reply(text("meeting.none", ctx.language))
                return Reply("\n".join([text("meeting.list_title", ctx.language), *lines, *_feed_line(ctx)]))
            if action in ("move", "cancel"):
                return self._change(ctx, ctx.community, action)
        except CalendarRefused as refusal_reason:
            return Reply(text(refusal_reason.key, ctx.language, **refusal_reason.values), personal=True)
        return Reply(text("usage", ctx.language, usage=self.usage_in(ctx.language)), personal=True)

    def _next(self, ctx: CommandContext, community: Community) -> Reply:
        meeting = ctx.session.scalar(sa.select(Meeting).where(
            Meeting.community_id == community.id, Meeting.status == MeetingStatus.PLANNED,
            Meeting.ends_at > ctx.now).order_by(Meeting.starts_at).limit(1))
        if meeting is None:
            return Reply(text("meeting.none_ahead", ctx.language))
        return Reply(text("meeting.next", ctx.language, line=meeting_line(ctx, community, meeting)))

    def _change(self, ctx: CommandContext, community: Community, action: str) -> Reply:
        if not is_admin_or_facilitator(ctx):
            return Reply(text("meeting.need_facilitator", ctx.language), personal=True)
        needed = 3 if action == "move" else 2
        if len(ctx.args) < needed:
            return Reply(text("usage", ctx.language, usage=self.usage_in(ctx.language)), personal=True)
        if action == "cancel":
            return asked(ctx, "meeting.cancel", ctx.args[1])
        meeting = calendar.meeting_number(ctx.session, community, ctx.args[1])
        starts = calendar.parse_moment(ctx.args[2:4], community, meeting.starts_at)
        meetings.move_meeting(ctx.session, community, meeting, starts, ctx.now)
        audit_action(ctx, "meeting.move", meeting=meeting.number, to=starts.isoformat())
        return Reply(text("meeting.moved", ctx.language, line=meeting_line(ctx, community, meeting)), in_channel=True)


class AbsentCommand(CommandBase):
    name = "absent"
    hint = "<n> [undo]"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True, args=1):
            return refused
        assert ctx.community is not None and ctx.member is not None
        try:
            meeting = calendar.meeting_number(ctx.session, ctx.community, ctx.args[0])
        except CalendarRefused as reason:
            return Reply(text(reason.key, ctx.language, **reason.values), personal=True)
        undo = len(ctx.args) > 1 and ctx.args[1].lower() in ("undo", "terug", "no", "nee")
        calendar.set_absent(ctx.session, ctx.member, meeting, not undo)
        noted = text("absent.undone" if undo else "absent.noted", ctx.language, number=meeting.number)
        # Absent from a meeting they facilitate: the role goes to the next in line (taking the absence
        # back later does not take the role back; `/cop facilitators swap` does).
        handed = None if undo or meeting.starts_at <= ctx.now else facilitation.step_down(
            ctx.session, ctx.community, ctx.member, meeting.number, ctx.now)
        return Reply(f"{noted} {handed.text(ctx.language)}" if handed else noted, personal=True)
