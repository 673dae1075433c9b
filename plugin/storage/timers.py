"""Timers: rows with a due time, swept from one index, claimed once, idempotent by key."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.storage.insert_once import insert_once
from plugin.storage.locks import lock_community
from plugin.storage.models import Timer
from plugin.storage.pending import pending
from plugin.storage.states import TimerKind, TimerStatus
from plugin.storage.sweepable import HANDOFF_GRACE, Sweepable

MAX_ATTEMPTS = 5


def add_timer(session: Session, *, key: str, community_id: int, kind: TimerKind, due_at: datetime,
              now: datetime, run_id: int | None = None, enablement_id: int | None = None,
              payload: dict[str, Any] | None = None) -> int:
    """Create the timer ``key`` once; a timer already due is handed to the worker after commit.

    A cancelled timer with the same key is planned again (a workflow disabled, then enabled again);
    one that already fired never is.
    """
    lock_community(session, community_id)
    due_now = due_at <= now
    timer_id, created = insert_once(session, Timer, ("key",), {
        "key": key, "community_id": community_id, "kind": kind, "due_at": due_at,
        "visible_at": now + HANDOFF_GRACE if due_now else due_at, "run_id": run_id, "enablement_id": enablement_id,
        "payload": payload or {}})
    if created:
        if due_now:
            pending(session).timers.append(timer_id)
        return timer_id
    existing = session.get_one(Timer, timer_id)
    if existing.status == TimerStatus.CANCELLED:
        existing.status = TimerStatus.PENDING
        existing.due_at = existing.visible_at = due_at
    return timer_id


def claim_timer(session: Session, timer_id: int, kinds: Collection[TimerKind] | None = None) -> Timer | None:
    """Mark a pending timer (of one of ``kinds``, when given) done in this transaction, in one statement;
    None when it was fired or cancelled already, or is of another kind.

    Claim and effects commit together: if the work fails, the claim rolls back with it.
    """
    claim = sa.update(Timer).where(Timer.id == timer_id, Timer.status == TimerStatus.PENDING)
    if kinds is not None:
        claim = claim.where(Timer.kind.in_(kinds))
    return session.scalars(claim.values(status=TimerStatus.DONE).returning(Timer),
                           execution_options={"synchronize_session": False, "populate_existing": True}).one_or_none()


def record_timer_failure(session: Session, timer_id: int, now: datetime, error: str) -> bool:
    """Count a failed attempt; returns True when the timer is given up (marked failed)."""
    timer = session.get_one(Timer, timer_id)
    timer.attempts += 1
    timer.error = error[:2000]
    timer.visible_at = now + HANDOFF_GRACE * timer.attempts
    if timer.attempts >= MAX_ATTEMPTS:
        timer.status = TimerStatus.FAILED
        return True
    return False


SWEEPABLE = Sweepable(Timer, (TimerStatus.PENDING,), TimerStatus.PENDING, "visible_at")


def cancel_timers(session: Session, community_id: int, *conditions: Any) -> int:
    """Cancel the community's pending timers that meet ``conditions``; how many."""
    lock_community(session, community_id)
    result = session.execute(
        sa.update(Timer).where(Timer.community_id == community_id, Timer.status == TimerStatus.PENDING, *conditions)
        .values(status=TimerStatus.CANCELLED).execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def next_due(session: Session) -> datetime | None:
    """When the sweeper will next find a pending timer (the simulator jumps its clock there)."""
    due: datetime | None = session.scalar(sa.select(sa.func.min(Timer.visible_at))
                                          .where(Timer.status == TimerStatus.PENDING))
    return due.replace(tzinfo=UTC) if due is not None and due.tzinfo is None else due
