"""Changes to a community's meeting calendar: move a meeting, cancel one, note an absence.

A move or cancellation takes the meeting's own timers (start, end) and every enabled workflow's
before/after-meeting timers with it, so agenda threads and evaluations follow the new date.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.errors import KringError
from plugin.storage import timers
from plugin.storage.models import Absence, Community, Meeting, Member, Timer
from plugin.storage.states import MeetingStatus
from plugin.workflows.catalog import enabled_workflows
from plugin.workflows.meetings import plan_meeting_timers
from plugin.workflows.scheduling import plan_meeting_triggers


class CalendarRefused(KringError):
    """The change cannot be made; ``key`` and ``values`` name the explanation in the text catalog."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def meeting_number(session: Session, community: Community, word: str) -> Meeting:
    if not word.isdigit():
        raise CalendarRefused("meeting.not_a_number", word=word)
    meeting = session.scalar(sa.select(Meeting).where(Meeting.community_id == community.id,
                                                      Meeting.number == int(word)))
    if meeting is None:
        raise CalendarRefused("meeting.unknown", number=word)
    return meeting


def parse_moment(words: list[str], community: Community, keep: datetime) -> datetime:
    """`YYYY-MM-DD [HH:MM]` in the community's time zone; without a time the meeting keeps its hour."""
    zone = ZoneInfo(community.timezone)
    try:
        day = datetime.strptime(words[0], "%Y-%m-%d").date()
        hour = datetime.strptime(words[1], "%H:%M").time() if len(words) > 1 else keep.astimezone(zone).time()
    except (ValueError, IndexError) as exc:
        raise CalendarRefused("meeting.bad_date", given=" ".join(words)) from exc
    return datetime.combine(day, time(hour.hour, hour.minute), tzinfo=zone)


def _still_ahead(meeting: Meeting, now: datetime) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise CalendarRefused("meeting.cancelled_already", number=meeting.number)
    if meeting.starts_at <= now:
        raise CalendarRefused("meeting.past", number=meeting.number)


def _cancel_timers(session: Session, meeting: Meeting) -> None:
    timers.cancel_timers(session, Timer.community_id == meeting.community_id, sa.or_(
        Timer.key.like(f"meeting:{meeting.id}:%"), Timer.key.like(f"trigger:%:meeting{meeting.id}:%")))


def move_meeting(session: Session, community: Community, meeting: Meeting, starts_at: datetime,
                 now: datetime) -> None:
    _still_ahead(meeting, now)
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
    session.flush()
    plan_meeting_timers(session, meeting, now)
    for enablement, workflow in enabled_workflows(session, community.id):
        plan_meeting_triggers(session, enablement, workflow, meeting, now)


def cancel_meeting(session: Session, meeting: Meeting, now: datetime) -> None:
    _still_ahead(meeting, now)
    _cancel_timers(session, meeting)
    meeting.status = MeetingStatus.CANCELLED


def set_absent(session: Session, member: Member, meeting: Meeting, absent: bool) -> None:
    found = session.scalar(sa.select(Absence).where(Absence.member_id == member.id,
                                                    Absence.meeting_number == meeting.number))
    if absent and found is None:
        session.add(Absence(community_id=member.community_id, member_id=member.id, meeting_number=meeting.number))
    elif not absent and found is not None:
        session.delete(found)


def absentees(session: Session, community_id: int, number: int) -> frozenset[int]:
    return frozenset(session.scalars(sa.select(Absence.member_id).where(
        Absence.community_id == community_id, Absence.meeting_number == number)))
