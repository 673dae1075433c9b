"""Bringing a community's members in line with its platform group; newcomers emit `member_joined`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.platforms.base import GroupMember
from plugin.storage.models import Community, Member
from plugin.storage.states import MemberRole
from plugin.workflows import events


@dataclass(frozen=True)
class Synced:
    added: int
    updated: int
    #: Members Kring knows who are no longer in the group (kept, with their contributions).
    absent: int


def member_source(community: Community) -> str:
    """Where the platform keeps this community's members: its member group, else its channel."""
    return community.member_group or community.external_group_id


def sync_members(session: Session, community: Community, group: list[GroupMember], now: datetime) -> Synced:
    known = {m.platform_user_id: m for m in session.scalars(sa.select(Member).where(
        Member.community_id == community.id))}
    added = updated = 0
    for person in group:
        member = known.get(person.user_id)
        if member is None:
            member = Member(community_id=community.id, platform_user_id=person.user_id, username=person.username,
                            name=person.name, role=MemberRole.ADMIN if person.is_admin else MemberRole.MEMBER,
                            joined_at=now)
            session.add(member)
            session.flush()
            events.emit(session, community, "member_joined", None, f"member{member.id}",
                        {"member": member.id, "name": member.name}, now)
            added += 1
            continue
        member.username, member.name = person.username, person.name
        if person.is_admin and member.role == MemberRole.MEMBER:
            member.role = MemberRole.ADMIN
        updated += 1
    present = {person.user_id for person in group}
    return Synced(added, updated, sum(1 for user_id in known if user_id not in present))
