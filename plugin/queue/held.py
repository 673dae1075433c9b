"""Telling a community's admins that the platform holds one of Kring's posts for approval.

A held post was accepted, not published: nobody in the group sees it until the platform's staff
approve it. Kring keeps working (the post is sent as far as Kring can take it), and each current
admin of the community gets one private message about it, saying what to do.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from plugin.platforms.base import OutboundPost
from plugin.storage import outbox
from plugin.storage.communities import find_community, members_with_role
from plugin.storage.models import OutboxMessage
from plugin.storage.states import MemberRole
from plugin.texts import text

NOTICE_PREFIX = "held:"


def tell_admins(session: Session, message: OutboxMessage, held: str, now: datetime) -> None:
    """Queue one private notice per current admin about ``message``, held as ``held``."""
    if message.idempotency_key.startswith(NOTICE_PREFIX):
        return  # a notice that is itself held tells nobody again
    post = OutboundPost.from_payload(message.payload)
    community = find_community(session, message.platform, post.group_id)
    if community is None:
        return
    notice = text("held_for_approval", community.language, community=community.name, held=held)
    for admin in members_with_role(session, community.id, MemberRole.ADMIN):
        if admin.username is None:
            continue
        outbox.add_message(session, idempotency_key=f"{NOTICE_PREFIX}{message.idempotency_key}:{admin.id}",
                           platform=message.platform, operation="post", now=now,
                           payload=OutboundPost(group_id=post.group_id, text=notice,
                                                to_username=admin.username).to_payload())
