"""Who may see a community's organiser pages: its admins, and the admins of its enabled workflows."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.storage.communities import current_member
from plugin.storage.models import Member, WorkflowEnablement
from plugin.storage.states import MemberRole


def organiser(session: Session, community_id: int, user_id: str) -> Member | None:
    """The current member ``user_id`` when they organise the community, else None (read on every page:
    an admin demoted or gone is refused at once)."""
    member = current_member(session, community_id, user_id)
    if member is None or member.role == MemberRole.ADMIN:
        return member
    listed = session.scalars(sa.select(WorkflowEnablement.admins).where(
        WorkflowEnablement.community_id == community_id, WorkflowEnablement.enabled.is_(True)))
    return member if any(user_id in (admins or []) for admins in listed) else None
