"""The meeting calendar of a community: every N weeks from its start date for its run length.

Each meeting gets two timers that emit `meeting_started` and `meeting_ended`. A move or
cancellation takes the meeting's own timers and every enabled workflow's before/after-meeting
timers with it, so agenda threads and evaluations follow the new date.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.cop.calendar import CalendarRefused
from plugin.storage import timers
from plugin.storage.models import Community, Meeting, Timer
from plugin.storage.states import MeetingStatus, TimerKind
from plugin.workflows.catalog import enabled_workflows
from plugin.workflows.scheduling import plan_meeting_triggers

MEETING_TIME = time(14, 0)
MEETING_LENGTH = timedelta(hours=3)


def _months_later(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    return date(start.year + year, month + 1, min(start.day, 28))


def plan_meeting_timers(session: Session, meeting: Meeting, now: datetime) -> None:
    """The timers that emit the meeting's start and end (planned again after a move)."""
    for moment, event in ((meeting.starts_at, "meeting_started"), (meeting.ends_at, "meeting_ended")):
        if moment > now:
            timers.add_timer(session, key=f"meeting:{meeting.id}:{event}:{moment.isoformat()}",
                             community_id=meeting.community_id, kind=TimerKind.MEETING, due_at=moment, now=now,
                             payload={"event": event, "meeting": meeting.id})


def plan_meetings(session: Session, community: Community, now: datetime) -> list[Meeting]:
    """Create the community's meetings once (idempotent), with their start and end timers."""
    if community.start_date is None:
        return []
    existing = {m.number: m for m in session.scalars(sa.select(Meeting).where(
        Meeting.community_id == community.id))}
    zone = ZoneInfo(community.timezone)
    end = _months_later(community.start_date, community.run_length_months)
    day, number = community.start_date, 1
    while day <= end:
        if number not in existing:
            starts = datetime.combine(day, MEETING_TIME, tzinfo=zone).astimezone(ZoneInfo("UTC"))
            meeting = Meeting(community_id=community.id, number=number, starts_at=starts,
                              ends_at=starts + MEETING_LENGTH)
            session.add(meeting)
            existing[number] = meeting
            session.flush()
            plan_meeting_timers(session, meeting, now)
        day += timedelta(weeks=community.meeting_cadence_weeks)
        number += 1
    return sorted(existing.values(), key=lambda m: m.number)


def still_ahead(meeting: Meeting, now: datetime) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise CalendarRefused("meeting.cancelled_already", number=meeting.number)
    if meeting.starts_at <= now:
        raise CalendarRefused("meeting.past", number=meeting.number)


def _cancel_timers(session: Session, meeting: Meeting) -> None:
    timers.cancel_timers(session, meeting.community_id, sa.or_(
        Timer.key.like(f"meeting:{meeting.id}:%"), Timer.key.like(f"trigger:%:meeting{meeting.id}:%")))


def move_meeting(session: Session, community: Community, meeting: Meeting, starts_at: datetime,
                 now: datetime) -> None:
    still_ahead(meeting, now)
    if starts_at <= now:
        raise CalendarRefused("meeting.move_to_past")
    neighbours = session.scalars(sa.select(Meeting).where(
        Meeting.community_id == community.id, Meeting.status == MeetingStatus.PLANNED, Meeting.id != meeting.id,
        Meeting.number.in_((meeting.number - 1, meeting.number + 1))))
    for other in neighbours:
        if (other.number < meeting.number) != (other.starts_at < starts_at):
            raise CalendarRefused("meeting.out_of_order", number=meeting.number, other=other.number)
    length = meeting.ends_at - meeting.starts_at
    _cancel_timers(session, meeting)
    meeting.starts_at, meeting.ends_at = starts_at, starts_at + length
    meeting.revision += 1
    session.flush()
    plan_meeting_timers(session, meeting, now)
    for enablement, workflow in enabled_workflows(session, community.id):
        plan_meeting_triggers(session, enablement, workflow, meeting, now)


def cancel_meeting(session: Session, meeting: Meeting, now: datetime) -> None:
    still_ahead(meeting, now)
    _cancel_timers(session, meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.revision += 1
