"""Recording and claiming inbound events, deduplicated per platform delivery id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from plugin.storage.insert_once import insert_once
from plugin.storage.models import InboundEvent
from plugin.storage.states import EVENT_TRANSITIONS, EventStatus, checked_transition
from plugin.storage.sweepable import HANDOFF_GRACE, Sweepable

#: How long a worker may hold an event before another worker may take it over.
PROCESSING_LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class Recorded:
    event_id: int
    created: bool


def record_event(
    session: Session,
    *,
    platform: str,
    delivery_id: str,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    done: bool = False,
) -> Recorded:
    """Store a delivery once; a redelivery returns the existing row with ``created=False``.

    ``done`` records an event that was fully answered inside the request (nothing left to do).
    """
    event_id, created = insert_once(session, InboundEvent, ("platform", "delivery_id"), {
        "platform": platform, "delivery_id": delivery_id, "kind": kind, "payload": payload,
        "status": EventStatus.DONE if done else EventStatus.RECEIVED, "received_at": now,
        "visible_at": now + HANDOFF_GRACE, "processed_at": now if done else None})
    return Recorded(event_id, created)


def claim_event(session: Session, event_id: int, now: datetime, lease: timedelta = PROCESSING_LEASE
                ) -> InboundEvent | None:
    """Take an event for processing, or None when it is done or another worker holds its lease."""
    claimed: InboundEvent | None = SWEEPABLE.claim(session, event_id, now, lease)
    return claimed


def finish_event(session: Session, event: InboundEvent, now: datetime, error: str | None = None) -> None:
    target = EventStatus.FAILED if error else EventStatus.DONE
    event.status = checked_transition(event.status, target, EVENT_TRANSITIONS)
    event.processed_at = now
    event.error = error


#: After this many failed attempts an event is marked failed and left for an operator.
MAX_ATTEMPTS = 5


def record_failure(session: Session, event_id: int, now: datetime, error: str) -> None:
    """Note a failed attempt; the sweeper retries it after the lease, up to :data:`MAX_ATTEMPTS`."""
    event = session.get_one(InboundEvent, event_id)
    event.error = error[:2000]
    if event.attempts >= MAX_ATTEMPTS:
        finish_event(session, event, now, error=event.error)


SWEEPABLE = Sweepable(InboundEvent, (EventStatus.RECEIVED, EventStatus.PROCESSING), EventStatus.RECEIVED,
                      "visible_at", EventStatus.PROCESSING)
