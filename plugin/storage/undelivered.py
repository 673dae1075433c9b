"""Outbox messages that did not go out: being tried again, or given up. What `/cop status` shows a
community, and `kring outbox list|retry` an operator.

An outbox row does not name its community; it is found from what the row carries: a post's
community (or its group on its platform), a digest's archived copy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.storage.communities import find_community
from plugin.storage.models import Digest, OutboxMessage
from plugin.storage.outbox import not_through
from plugin.storage.pending import pending
from plugin.storage.states import OUTBOX_TRANSITIONS, OutboxStatus, checked_transition

#: Most messages an overview reads (the newest first): enough to see what is wrong, bounded however much is.
OVERVIEW_LIMIT = 200


@dataclass(frozen=True)
class Undelivered:
    """One message that has not gone out, described for a person."""

    message_id: int
    community_id: int | None
    #: "retrying" (another attempt is planned) or "failed" (given up).
    state: str
    operation: str
    #: Who or where it was for: "group", "thread", a member's user name, a digest's channel and target.
    target: str
    attempts: int
    error: str
    created_at: datetime
    next_attempt_at: datetime | None


def communities_of(session: Session, messages: Sequence[OutboxMessage]) -> list[int | None]:
    """The community each message was sent for, from what it carries (None when it cannot tell); each
    digest and group is looked up once, however many messages share it."""
    found: dict[tuple[str, ...], int | None] = {}

    def looked_up(key: tuple[str, ...], query: Callable[[], int | None]) -> int | None:
        if key not in found:
            found[key] = query()
        return found[key]

    def one(message: OutboxMessage) -> int | None:
        payload = message.payload
        if isinstance(payload.get("community_id"), int):
            return int(payload["community_id"])
        if isinstance(digest := payload.get("digest"), int):
            return looked_up(("digest", str(digest)), lambda: session.scalar(
                sa.select(Digest.community_id).where(Digest.id == digest)))
        if isinstance(group := payload.get("group_id"), str):
            return looked_up(("group", message.platform, group), lambda: getattr(
                find_community(session, message.platform, group), "id", None))
        return None

    return [one(message) for message in messages]


def community_of(session: Session, message: OutboxMessage) -> int | None:
    """The community one message was sent for (None when it cannot tell)."""
    return communities_of(session, [message])[0]


def unsent(session: Session, community_id: int) -> list[OutboxMessage]:
    """The community's messages that have not gone out: waiting, being tried again, or given up."""
    rows = list(session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)))))
    return [m for m, owner in zip(rows, communities_of(session, rows), strict=True) if owner == community_id]


def _target(message: OutboxMessage) -> str:
    payload = message.payload
    if message.operation == "digest":
        return f"{payload.get('channel')} {payload.get('to')}"
    if payload.get("to_username") or payload.get("to_user_id"):
        return f"@{payload.get('to_username') or payload.get('to_user_id')}"
    return "thread" if payload.get("thread_key") or payload.get("thread_id") else "group"


def _describe(message: OutboxMessage, community_id: int | None) -> Undelivered:
    failed = message.status == OutboxStatus.FAILED
    return Undelivered(message.id, community_id, "failed" if failed else "retrying",
                       message.operation, _target(message), message.attempts, message.last_error or "",
                       message.created_at, None if failed else message.next_attempt_at)


def undelivered(session: Session, community_id: int | None = None) -> list[Undelivered]:
    """Messages given up, or tried and not yet through (newest first); of one community, or all."""
    rows = list(session.scalars(sa.select(OutboxMessage).where(not_through()).order_by(OutboxMessage.id.desc())
        .limit(OVERVIEW_LIMIT)))
    found = [_describe(message, owner) for message, owner in zip(rows, communities_of(session, rows), strict=True)]
    return [u for u in found if community_id is None or u.community_id == community_id]


def retry(session: Session, message_ids: list[int], now: datetime) -> list[int]:
    """Queue given-up messages again, to be tried once more now (and on, while attempts remain); the
    ids of those queued. Messages that are not failed are left as they are."""
    queued = []
    for message in session.scalars(sa.select(OutboxMessage).where(
            OutboxMessage.id.in_(message_ids), OutboxMessage.status == OutboxStatus.FAILED)
            .order_by(OutboxMessage.id).with_for_update()):
        message.status = checked_transition(message.status, OutboxStatus.PENDING, OUTBOX_TRANSITIONS)
        message.next_attempt_at = now
        queued.append(message.id)
    pending(session).outbox.extend(queued)
    return queued


def failed_ids(session: Session, community_id: int | None = None) -> list[int]:
    """The given-up messages, of one community or all."""
    return [u.message_id for u in undelivered(session, community_id) if u.state == "failed"]
