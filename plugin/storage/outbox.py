"""The outbox: every outbound platform call is a row first, sent by the worker afterwards.

A row is created in the same transaction as the decision to send it, with an idempotency key
derived from what caused it, so a redelivered webhook or a re-run job never sends twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.storage.insert_once import insert_once
from plugin.storage.models import OutboxMessage
from plugin.storage.pending import pending
from plugin.storage.states import OUTBOX_BACKLOG, OUTBOX_TRANSITIONS, OutboxStatus, checked_transition
from plugin.storage.sweepable import Sweepable

SENDING_LEASE = timedelta(seconds=120)
MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(seconds=5)
LONGEST_RETRY = timedelta(minutes=30)


def add_message(
    session: Session,
    *,
    idempotency_key: str,
    platform: str,
    operation: str,
    payload: dict[str, Any],
    now: datetime,
) -> int:
    """Queue one outbound call; the same key returns the existing row's id instead of a copy."""
    message_id, created = insert_once(session, OutboxMessage, ("idempotency_key",), {
        "idempotency_key": idempotency_key, "platform": platform, "operation": operation, "payload": payload,
        "next_attempt_at": now, "created_at": now})
    if created:
        pending(session).outbox.append(message_id)
    return message_id


def backlog(session: Session) -> int:
    """Messages not yet sent (pending or being sent)."""
    return int(session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status.in_(OUTBOX_BACKLOG))) or 0)


def not_through() -> sa.ColumnElement[bool]:
    """The condition on `OutboxMessage` of not having gone through: given up, or tried and to be tried again."""
    tried = sa.and_(OutboxMessage.status.in_(OUTBOX_BACKLOG), OutboxMessage.last_error.is_not(None))
    return sa.or_(OutboxMessage.status == OutboxStatus.FAILED, tried)


def claim_message(session: Session, message_id: int, now: datetime, lease: timedelta = SENDING_LEASE
                  ) -> OutboxMessage | None:
    """Take a message for sending, or None when it is sent, failed, or leased by another worker.

    A pending message is taken whatever its retry time: its job is only queued once it is due."""
    claimed: OutboxMessage | None = SWEEPABLE.claim(session, message_id, now, lease)
    return claimed


def mark_sent(session: Session, message: OutboxMessage, now: datetime, result: dict[str, Any]) -> None:
    message.status = checked_transition(message.status, OutboxStatus.SENT, OUTBOX_TRANSITIONS)
    message.sent_at = now
    message.result = result
    message.last_error = None


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 5 s, 10 s, 20 s … capped at 30 minutes."""
    delay: timedelta = FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return min(delay, LONGEST_RETRY)


def mark_failed_attempt(
    session: Session, message: OutboxMessage, now: datetime, error: str, retryable: bool,
    retry_after: float | None = None,
) -> None:
    """Schedule another attempt (not before the ``retry_after`` seconds the platform asked for), or
    give up when the error is permanent or attempts ran out."""
    message.last_error = error[:2000]
    if retryable and message.attempts < MAX_ATTEMPTS:
        message.status = checked_transition(message.status, OutboxStatus.PENDING, OUTBOX_TRANSITIONS)
        message.next_attempt_at = now + max(retry_delay(message.attempts), timedelta(seconds=retry_after or 0))
    else:
        message.status = checked_transition(message.status, OutboxStatus.FAILED, OUTBOX_TRANSITIONS)


SWEEPABLE = Sweepable(OutboxMessage, OUTBOX_BACKLOG, OutboxStatus.PENDING,
                      "next_attempt_at", OutboxStatus.SENDING)


def latest_button_expiry(session: Session) -> datetime | None:
    """When the last button Kring has sent stops working (its signed context expires)."""
    latest: datetime | None = None
    for payload in session.scalars(sa.select(OutboxMessage.payload).where(OutboxMessage.operation == "post")):
        for button in payload.get("buttons") or ():
            expires = datetime.fromisoformat(str(button["expires_at"]))
            latest = expires if latest is None or expires > latest else latest
    return latest


def next_attempt(session: Session) -> datetime | None:
    """When the next unsent message is due (the simulator jumps its clock there)."""
    due: datetime | None = session.scalar(sa.select(sa.func.min(OutboxMessage.next_attempt_at)).where(
        OutboxMessage.status.in_(OUTBOX_BACKLOG)))
    return due.replace(tzinfo=UTC) if due is not None and due.tzinfo is None else due
