"""Bringing a community's members in line with its platform group.

Newcomers emit `member_joined`. Someone who left is kept — what they contributed stays in the
journal and the digests — but marked (`left_at`): they are no longer asked, polled or rotated, and
the facilitator roles they held for coming meetings go to the next in line. `member_left` follows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.cop.facilitation import hand_over
from plugin.engine.steps.ask import ANSWER_EVENT
from plugin.engine.steps.poll import VOTE_EVENT
from plugin.platforms.base import GroupMember
from plugin.storage.models import Community, Member, Poll, QuestionSet
from plugin.storage.states import MemberRole, PollStatus
from plugin.workflows import events

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Synced:
    added: int
    updated: int
    #: Members who are no longer in the group (kept, with their contributions), now marked as left.
    left: int
    #: Members who had left and are back.
    returned: int


def member_source(community: Community) -> str:
    """Where the platform keeps this community's members: its member group, else its channel."""
    return community.member_group or community.external_group_id


def _withdraw_from_open_requests(session: Session, community: Community, member: Member, now: datetime) -> None:
    """Open polls and question rounds stop waiting for someone who left (what they gave is kept): they are
    woken as by a vote or an answer, and close if everyone still there has responded."""
    for poll in session.scalars(sa.select(Poll).where(Poll.community_id == community.id,
                                                      Poll.status == PollStatus.OPEN)):
        if member.id in poll.voters:
            poll.voters = [voter for voter in poll.voters if voter != member.id]
            events.emit(session, community, VOTE_EVENT, poll.key, f"left{member.id}", {"poll": poll.id}, now)
    for question_set in session.scalars(sa.select(QuestionSet).where(QuestionSet.community_id == community.id,
                                                                     QuestionSet.closes_at > now)):
        if member.id in question_set.recipients:
            question_set.recipients = [person for person in question_set.recipients if person != member.id]
            events.emit(session, community, ANSWER_EVENT, question_set.key, f"left{member.id}:{question_set.round}",
                        {"member": member.id}, now)


def mark_left(session: Session, community: Community, member: Member, now: datetime) -> None:
    """``member`` left the group: keep them, stop asking them, hand over their coming facilitator roles."""
    if member.left_at is not None:
        return
    member.left_at = now
    session.flush()
    _withdraw_from_open_requests(session, community, member, now)
    hand_over(session, community, member, now)
    events.emit(session, community, "member_left", None, f"left:{member.id}:{now.timestamp()}",
                {"member": member.id, "name": member.name, "user_id": member.platform_user_id}, now)


def sync_members(session: Session, community: Community, group: list[GroupMember], now: datetime,
                 whole_group: bool = True) -> Synced:
    """Add and update the members in ``group``; when it is the ``whole_group``, those not in it have left."""
    known = {m.platform_user_id: m for m in session.scalars(sa.select(Member).where(
        Member.community_id == community.id))}
    added = updated = returned = 0
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
        elif whole_group and not person.is_admin and member.role == MemberRole.ADMIN:
            member.role = MemberRole.MEMBER  # demoted on the platform: no longer Kring's admin either
            log.info("community %s: %s is no longer an admin of the group", community.id, member.name)
        if member.left_at is not None:
            member.left_at = None
            returned += 1
        updated += 1
    present = {person.user_id for person in group}
    if whole_group and not group and known:
        log.warning("community %s: its group %r reads as empty; nobody is marked as left (check the group and "
                    "Kring's access to it)", community.id, member_source(community))
        whole_group = False
    gone = [m for user_id, m in known.items() if whole_group and user_id not in present and m.left_at is None]
    for member in gone:
        mark_left(session, community, member, now)
    return Synced(added, updated, len(gone), returned)
