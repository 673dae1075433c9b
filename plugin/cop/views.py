"""Plain-value views of a community's records, for templates and for the engine."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.storage.communities import current_member_of
from plugin.storage.models import Community, Meeting, Member, Organisation
from plugin.storage.states import MeetingStatus


def community_view(community: Community) -> dict[str, Any]:
    return {"id": community.id, "name": community.name, "language": community.language,
            "timezone": community.timezone, "start_date": community.start_date.isoformat()
            if community.start_date else None, "cadence_weeks": community.meeting_cadence_weeks,
            "run_length_months": community.run_length_months, "openness": community.openness.value,
            "domain_statement": community.domain_statement}


def members_view(session: Session, community_id: int) -> list[dict[str, Any]]:
    """The current members (not those who left), as templates and steps see them."""
    rows = session.execute(
        sa.select(Member, Organisation.name).outerjoin(Organisation, Member.organisation_id == Organisation.id)
        .where(current_member_of(community_id)).order_by(Member.id)
    )
    return [{"id": m.id, "user_id": m.platform_user_id, "username": m.username, "name": m.name,
             "organisation": organisation, "role": m.role.value, "core_group": m.core_group,
             "orientation": m.orientation.value if m.orientation else None} for m, organisation in rows]


def organisations_view(session: Session, community_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        sa.select(Member.organisation_id, sa.func.count())
        .where(current_member_of(community_id)).group_by(Member.organisation_id))
    counts = {organisation: count for organisation, count in rows}
    organisations = session.scalars(sa.select(Organisation).where(Organisation.community_id == community_id)
                                    .order_by(Organisation.name))
    return [{"id": o.id, "name": o.name, "sector": o.sector, "members": counts.get(o.id, 0),
             "has_contact": bool(o.digest_contacts)} for o in organisations]


def meeting_view(meeting: Meeting, zone: ZoneInfo) -> dict[str, Any]:
    starts, ends = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    return {"number": meeting.number, "starts_at": starts.isoformat(), "ends_at": ends.isoformat(),
            "date": starts.date().isoformat(), "time": starts.strftime("%H:%M"), "status": meeting.status.value}


def meetings_view(session: Session, community: Community) -> list[dict[str, Any]]:
    zone = ZoneInfo(community.timezone)
    rows = session.scalars(sa.select(Meeting).where(Meeting.community_id == community.id).order_by(Meeting.number))
    return [meeting_view(m, zone) for m in rows]


def next_meeting(session: Session, community: Community, now: datetime) -> dict[str, Any] | None:
    meeting = session.scalar(
        sa.select(Meeting).where(Meeting.community_id == community.id, Meeting.status == MeetingStatus.PLANNED,
                                 Meeting.ends_at > now).order_by(Meeting.starts_at).limit(1))
    return meeting_view(meeting, ZoneInfo(community.timezone)) if meeting else None
