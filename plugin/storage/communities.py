"""Queries about communities, shared by commands, the CLI and the demo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session

from plugin.storage.models import Community, Member, Organisation, OutboxMessage, WorkflowEnablement
from plugin.storage.outbox import not_through
from plugin.storage.states import OUTBOX_BACKLOG, MemberRole, Openness


def find_community(session: Session, platform: str, group_id: str) -> Community | None:
    return session.scalar(
        sa.select(Community).where(Community.platform == platform, Community.external_group_id == group_id)
    )


def current_member_of(community_id: int | sa.ColumnElement[int] | InstrumentedAttribute[int]
                      ) -> sa.ColumnElement[bool]:
    """The condition on `Member` of being in the community now (not having left the group); the
    community given as its id, or as a column or parameter of a statement."""
    return sa.and_(Member.community_id == community_id, Member.left_at.is_(None))


@cache
def _community_with_member() -> sa.Select[Community, Member]:
    """Built once: every command runs it, and building a statement costs more than running it."""
    return sa.select(Community, Member).outerjoin(Member, sa.and_(
        current_member_of(Community.id), Member.platform_user_id == sa.bindparam("user"))).where(
        Community.platform == sa.bindparam("platform"), Community.external_group_id == sa.bindparam("group"))


def community_with_member(session: Session, platform: str, group_id: str, platform_user_id: str
                          ) -> tuple[Community | None, Member | None]:
    """The community of a group, and the user as its current member (see `CommandContext.member`), in one
    statement: every command reads both."""
    row = session.execute(_community_with_member(), {"platform": platform, "group": group_id,
                                                    "user": platform_user_id}).first()
    return (row[0], row[1]) if row is not None else (None, None)


def communities_of_user(session: Session, platform: str, platform_user_id: str) -> list[Community]:
    """The communities on ``platform`` that this user is a current member of, by name."""
    return list(session.scalars(sa.select(Community).join(Member, current_member_of(Community.id)).where(
        Community.platform == platform, Member.platform_user_id == platform_user_id).order_by(Community.name)))


def members_with_role(session: Session, community_id: int, role: MemberRole) -> list[Member]:
    """The community's current members in ``role`` (admins, the initiator), in the order they were added."""
    return list(session.scalars(sa.select(Member).where(current_member_of(community_id), Member.role == role)
                                .order_by(Member.id)))


def find_member(session: Session, community_id: int, platform_user_id: str) -> Member | None:
    """The community's member with this platform user id (also one who left), if any."""
    return session.scalar(sa.select(Member).where(Member.community_id == community_id,
                                                  Member.platform_user_id == platform_user_id))


def current_member(session: Session, community_id: int, platform_user_id: str) -> Member | None:
    """The community's current member with this platform user id (None for one who left)."""
    return session.scalar(sa.select(Member).where(current_member_of(community_id),
                                                  Member.platform_user_id == platform_user_id))


@dataclass(frozen=True)
class CommunityCounts:
    members: int
    organisations: int
    workflows: tuple[str, ...]
    #: Outbox messages of every community not sent yet (pending or being sent): the worker's backlog.
    outbox_backlog: int
    #: Outbox messages of every community given up, or tried and not through yet (see `undelivered`).
    undelivered: int


@cache
def _community_counts() -> sa.Select[int, int, int, int, str]:
    """Built once (see `_community_with_member`), for the community bound as ``community``."""
    community: sa.BindParameter[int] = sa.bindparam("community")

    def count(model: Any, *where: sa.ColumnElement[bool]) -> sa.ScalarSelect[int]:
        return sa.select(sa.func.count()).select_from(model).where(*where).scalar_subquery()

    enabled = sa.and_(WorkflowEnablement.community_id == community, WorkflowEnablement.enabled.is_(True))
    one_row = sa.select(sa.literal(1).label("one")).subquery()
    return sa.select(
        count(Member, current_member_of(community)),
        count(Organisation, Organisation.community_id == community),
        count(OutboxMessage, OutboxMessage.status.in_(OUTBOX_BACKLOG)),
        count(OutboxMessage, not_through()),
        WorkflowEnablement.workflow_id,
    ).select_from(one_row.outerjoin(WorkflowEnablement, enabled)).order_by(WorkflowEnablement.workflow_id)


def community_counts(session: Session, community_id: int) -> CommunityCounts:
    """The community's counts and its enabled workflows, in one statement: `/cop status` reads them."""
    rows = session.execute(_community_counts(), {"community": community_id}).all()
    members, organisations, backlog, undelivered, _ = rows[0]
    return CommunityCounts(members, organisations, tuple(r.workflow_id for r in rows if r.workflow_id is not None),
                           backlog, undelivered)


def add_community(
    session: Session,
    *,
    platform: str,
    group_id: str,
    name: str,
    language: str,
    timezone: str,
    now: datetime,
    team_id: str | None = None,
    start_date: date | None = None,
    cadence_weeks: int = 6,
    run_months: int = 18,
    openness: Openness = Openness.CLOSED,
) -> Community:
    """Link a platform group to a new community; raises ValueError when it is linked already."""
    if find_community(session, platform, group_id) is not None:
        raise ValueError(f"{platform} group {group_id} is already a Kring community")
    community = Community(
        platform=platform, external_group_id=group_id, team_id=team_id, name=name, language=language,
        timezone=timezone, start_date=start_date, meeting_cadence_weeks=cadence_weeks,
        run_length_months=run_months, openness=openness, created_at=now,
    )
    session.add(community)
    session.flush()
    return community


def list_communities(session: Session) -> list[Community]:
    return list(session.scalars(sa.select(Community).order_by(Community.id)))


def organisation_named(session: Session, community_id: int, name: str) -> Organisation:
    """The community's organisation called ``name``, made when it is new."""
    found = session.scalar(sa.select(Organisation).where(Organisation.community_id == community_id,
                                                         Organisation.name == name))
    if found is None:
        found = Organisation(community_id=community_id, name=name, digest_contacts=[])
        session.add(found)
        session.flush()
    return found


def upsert_member(session: Session, *, community_id: int, user_id: str, name: str, username: str | None,
                  organisation: str | None, role: MemberRole, now: datetime) -> Member:
    """Add a member, or update the one with this platform user id; ValueError if the community is unknown."""
    if session.get(Community, community_id) is None:
        raise ValueError(f"there is no community {community_id}")
    organisation_id = organisation_named(session, community_id, organisation).id if organisation else None
    member = session.scalar(sa.select(Member).where(Member.community_id == community_id,
                                                    Member.platform_user_id == user_id))
    if member is None:
        member = Member(community_id=community_id, platform_user_id=user_id, name=name, joined_at=now)
        session.add(member)
    member.name, member.role = name, role
    member.username = username or member.username
    member.organisation_id = organisation_id or member.organisation_id
    session.flush()
    return member
