"""Telling a community's admins, privately, about one of Kring's messages that did not reach the group.

- *Held*: the platform accepted a post but holds it for its staff's approval; nobody in the group
  sees it until then. Kring keeps working (the post is sent as far as Kring can take it).
- *Given up*: the delivery failed for good (a refusal, or every attempt ran out).

Each current admin gets one private message per message and kind, saying what to do. A notice that
is itself held or given up tells nobody again.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from plugin.platforms.base import OutboundPost
from plugin.storage import outbox
from plugin.storage.communities import members_with_role
from plugin.storage.models import Community, OutboxMessage
from plugin.storage.states import MemberRole
from plugin.storage.undelivered import community_of
from plugin.texts import text


class Notice(StrEnum):
    """What happened to the message; also the prefix of the notices' idempotency keys."""

    HELD = "held"
    GIVEN_UP = "undelivered"


_TEXTS = {Notice.HELD: "held_for_approval", Notice.GIVEN_UP: "undelivered.given_up"}


def tell_admins(session: Session, message: OutboxMessage, notice: Notice, now: datetime, **values: Any) -> None:
    """Queue one private notice per current admin about ``message``."""
    if message.idempotency_key.startswith(tuple(f"{kind}:" for kind in Notice)):
        return
    community_id = community_of(session, message)
    community = session.get(Community, community_id) if community_id is not None else None
    if community is None:
        return
    body = text(_TEXTS[notice], community.language, community=community.name, id=message.id, **values)
    for admin in members_with_role(session, community.id, MemberRole.ADMIN):
        if admin.username is None:
            continue  # a private message on Discourse needs the name (without, it would go to the group)
        # Mattermost writes to the user id, Discourse to the user name.
        outbox.add_message(session, idempotency_key=f"{notice}:{message.idempotency_key}:{admin.id}"[:200],
                           platform=message.platform, operation="post", now=now,
                           payload=OutboundPost(group_id=community.external_group_id, text=body,
                                                to_user_id=admin.platform_user_id, to_username=admin.username,
                                                community_id=community.id).to_payload())
