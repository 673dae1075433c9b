"""A user joined or left a Discourse group: re-read the member groups of Kring's Discourse communities.

Re-reading the group through the API (instead of trusting the webhook's payload) keeps one way of
knowing members; newcomers emit `member_joined` for the workflows that greet them.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.platforms.base import GroupMember, MemberDirectory
from plugin.runtime import Runtime
from plugin.storage.models import Community
from plugin.storage.states import Platform
from plugin.workflows.membership import sync_members

GROUP_EVENTS = frozenset({"user_added_to_group", "user_removed_from_group"})


def fetch_member_groups(runtime: Runtime) -> dict[int, list[GroupMember]]:
    """The current members of every Discourse community that has a member group (platform calls)."""
    client = runtime.platforms.get(Platform.DISCOURSE)
    if not isinstance(client, MemberDirectory):
        return {}
    with runtime.database.session() as session:
        linked = list(session.execute(sa.select(Community.id, Community.member_group).where(
            Community.platform == Platform.DISCOURSE, Community.member_group.is_not(None))))
    return {community_id: client.group_members(str(group)) for community_id, group in linked}


def apply_member_groups(session: Session, groups: dict[int, list[GroupMember]], runtime: Runtime) -> None:
    for community_id, members in groups.items():
        sync_members(session, session.get_one(Community, community_id), members, runtime.clock.now())
