"""What the worker does with each kind of inbound event.

Work is split in two: :func:`prepare` makes the platform calls an event needs (outside any
transaction), :func:`apply` then changes the database in the event's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from plugin.commands.base import Effects, Invocation
from plugin.commands.registry import answer, context_for, deferred_part
from plugin.platforms.base import GroupMember
from plugin.platforms.events import MembershipChanged, PostCreated
from plugin.platforms.mattermost.adapter import MattermostAdapter
from plugin.queue.group_changes import GROUP_EVENTS, apply_member_groups, fetch_member_groups
from plugin.runtime import Runtime
from plugin.storage.communities import find_community, find_member
from plugin.workflows.membership import mark_left, sync_members
from plugin.workflows.posts import handle_post


@dataclass
class Prepared:
    post: PostCreated | None = None
    groups: dict[int, list[GroupMember]] = field(default_factory=dict)
    joined: list[GroupMember] = field(default_factory=list)


def _post(runtime: Runtime, post: PostCreated) -> PostCreated:
    """Complete what the post's source could not say: its thread, and whether Kring wrote it."""
    adapter = runtime.platforms.get(post.platform)
    if not isinstance(adapter, MattermostAdapter):
        return post
    if post.user_id == adapter.bot_user_id():
        post = replace(post, from_kring=True)
    if not post.thread_known and not post.from_kring:
        post = replace(post, thread_id=adapter.thread_of(post.post_id), thread_known=True)
    return post


def prepare(runtime: Runtime, kind: str, payload: dict[str, Any]) -> Prepared:
    if kind == PostCreated.KIND:
        return Prepared(post=_post(runtime, PostCreated.from_payload(payload)))
    if kind in GROUP_EVENTS:
        return Prepared(groups=fetch_member_groups(runtime))
    if kind == "member_joined":
        change = MembershipChanged.from_payload(payload)
        adapter = runtime.platforms.get(change.platform)
        if isinstance(adapter, MattermostAdapter):
            return Prepared(joined=[adapter.member(change.user_id)])
    return Prepared()


def _command(session: Session, runtime: Runtime, invocation: Invocation, now: datetime) -> None:
    """A command's worker part: its deferred work, and its answer where the platform could not show
    one inside the request (a Discourse post)."""
    effects = Effects(session, invocation, now)
    ctx = context_for(session, invocation, runtime)
    command = deferred_part(invocation)
    if invocation.answer_by_post:
        reply = answer(ctx)
        if not (reply.deferred and command is not None):
            effects.post(reply.text, thread_id=invocation.thread_id,
                         to_username=invocation.user_name if reply.personal else None)
            return
    if command is not None:
        command.perform(ctx, effects)


def apply(session: Session, runtime: Runtime, kind: str, payload: dict[str, Any], prepared: Prepared,
          now: datetime) -> None:
    if kind == "command":
        _command(session, runtime, Invocation.from_payload(payload), now)
    elif prepared.post is not None:
        handle_post(session, prepared.post, now)
    elif kind in ("member_joined", "member_left"):
        change = MembershipChanged.from_payload(payload)
        community = find_community(session, change.platform, change.group_id)
        if community is None:
            return
        if change.joined:
            sync_members(session, community, prepared.joined, now, whole_group=False)
        elif (member := find_member(session, community.id, change.user_id)) is not None:
            mark_left(session, community, member, now)
    apply_member_groups(session, prepared.groups, runtime)


