"""What the worker does with each type of inbound event, in one ``{event type: handler}`` registry.

A handler first makes the platform calls its event needs (outside any transaction) and returns
what then changes the database, in the event's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.commands.base import Effects
from plugin.commands.registry import answer, context_for, deferred_part
from plugin.platforms.base import GroupMember, MemberDirectory, MemberLookup
from plugin.platforms.events import (
    CommandInvoked,
    Event,
    MemberGroupChanged,
    MemberJoined,
    MemberLeft,
    Noticed,
    PostCreated,
)
from plugin.runtime import Runtime
from plugin.storage.communities import find_community, find_member
from plugin.storage.models import Community
from plugin.workflows.membership import mark_left, sync_members
from plugin.workflows.posts import handle_post

#: The database part of handling an event: (session, now).
Apply = Callable[[Session, datetime], None]


def _command(runtime: Runtime, invocation: CommandInvoked) -> Apply:
    """A command's worker part: its deferred work, and its answer where the platform could not show
    one inside the request (a forum post)."""

    def apply(session: Session, now: datetime) -> None:
        effects = Effects(session, invocation, now)
        ctx = context_for(session, invocation, runtime)
        command = deferred_part(invocation)
        if invocation.answer_by_post:
            reply = answer(ctx)
            if not (reply.deferred and command is not None):
                effects.post(reply.text, thread_id=invocation.thread_id,
                             to_username=invocation.user_name if reply.personal or invocation.private else None)
                return
        if command is not None:
            command.perform(ctx, effects)

    return apply


def _post(runtime: Runtime, post: PostCreated) -> Apply:
    completed = runtime.connector(post.platform).complete(post)
    return lambda session, now: handle_post(session, completed, now)


def _joined(runtime: Runtime, change: MemberJoined) -> Apply:
    lookup = runtime.connector(change.platform).feature(MemberLookup)
    found = lookup.member(change.user_id) if lookup is not None else None
    joined = [found] if found is not None else []

    def apply(session: Session, now: datetime) -> None:
        community = find_community(session, change.platform, change.group_id)
        if community is not None:
            sync_members(session, community, joined, now, whole_group=False)

    return apply


def _left(runtime: Runtime, change: MemberLeft) -> Apply:
    def apply(session: Session, now: datetime) -> None:
        community = find_community(session, change.platform, change.group_id)
        member = find_member(session, community.id, change.user_id) if community is not None else None
        if community is not None and member is not None:
            mark_left(session, community, member, now)

    return apply


def _member_groups(runtime: Runtime, change: MemberGroupChanged) -> Apply:
    """Someone joined or left a platform group: re-read the member groups of the platform's communities.

    Re-reading through the API (instead of trusting the webhook's payload) keeps one way of knowing
    members; newcomers emit `member_joined` for the workflows that greet them.
    """
    directory = runtime.connector(change.platform).feature(MemberDirectory)
    groups: dict[int, list[GroupMember]] = {}
    if directory is not None:
        with runtime.database.session() as session:
            linked = list(session.execute(sa.select(Community.id, Community.member_group).where(
                Community.platform == change.platform, Community.member_group.is_not(None))))
        groups = {community_id: directory.group_members(str(group)) for community_id, group in linked}

    def apply(session: Session, now: datetime) -> None:
        for community_id, members in groups.items():
            sync_members(session, session.get_one(Community, community_id), members, now)

    return apply


def _noticed(runtime: Runtime, event: Noticed) -> Apply:
    return lambda session, now: None


HANDLERS: dict[type[Event], Callable[[Runtime, Any], Apply]] = {
    CommandInvoked: _command, PostCreated: _post, MemberJoined: _joined, MemberLeft: _left,
    MemberGroupChanged: _member_groups, Noticed: _noticed,
}


def prepare(runtime: Runtime, event: Event) -> Apply:
    """Make the platform calls ``event`` needs; what then changes the database."""
    return HANDLERS[type(event)](runtime, event)
