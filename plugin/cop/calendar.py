"""A community's meeting calendar: which meeting a member means, the moment they give, absences.

Moving and cancelling a meeting (which takes workflow timers along) is in
:mod:`plugin.workflows.meetings`.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.errors import KringError
from plugin.storage.models import Absence, Community, Meeting, Member
from plugin.storage.numbers import typed_number
from plugin.storage.states import MeetingStatus


class CalendarRefused(KringError):
    """The change cannot be made; ``key`` and ``values`` name the explanation in the text catalog."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def meeting_state(meeting: Meeting, now: datetime) -> str:
    """``cancelled``, ``held`` (it has ended) or ``planned``."""
    if meeting.status == MeetingStatus.CANCELLED:
        return "cancelled"
    return "held" if meeting.ends_at <= now else "planned"


def meeting_number(session: Session, community: Community, word: str) -> Meeting:
    number = typed_number(word)
    if number is None:
        raise CalendarRefused("meeting.not_a_number", word=word)
    meeting = session.scalar(sa.select(Meeting).where(Meeting.community_id == community.id,
                                                      Meeting.number == number))
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
