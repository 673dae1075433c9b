"""Events in a community: they start runs of workflows triggered by them and wake runs waiting for them.

Both effects are wake timers due at once, keyed by the event's occurrence, so the same event
recorded twice wakes nobody twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.engine.triggers.event import EventTrigger
from plugin.storage import timers
from plugin.storage.locks import lock_community
from plugin.storage.models import Community, RunWait, Timer
from plugin.storage.states import TimerKind, TimerStatus
from plugin.workflows.catalog import enabled_workflows


def wait_key(run_id: int, token: int) -> str:
    """The key of a run's wait: its timeout's wake timer, and the start of every event's wake for it."""
    return f"run{run_id}:wait{token}"


def emit(session: Session, community: Community, name: str, key: str | None, occurrence: str,
         data: dict[str, Any], now: datetime) -> None:
    names = [name] if key is None else [name, f"{name}:{key}"]
    lock_community(session, community.id)  # an advance under way commits first: its waits are read here
    waiting = session.execute(sa.select(RunWait.run_id, RunWait.token).where(
        RunWait.community_id == community.id, RunWait.event.in_(names))).all()
    woken = _woken_now(session, community.id, {run_id for run_id, _ in waiting}, now)
    for run_id, token in waiting:
        wait = wait_key(run_id, token)
        if wait in woken:
            continue
        woken.add(wait)
        timers.add_timer(session, key=f"{wait}:{name}:{occurrence}", community_id=community.id,
                         kind=TimerKind.WAKE, due_at=now, now=now, run_id=run_id,
                         payload={"token": token, "reason": "event", "event": name, "data": data})
    for enablement, workflow in enabled_workflows(session, community.id):
        if not any(EventTrigger.starts_on(trigger.options, name) for trigger in workflow.triggers_of("event")):
            continue
        timers.add_timer(session, key=f"event:{enablement.id}:{name}:{occurrence}", community_id=community.id,
                         kind=TimerKind.TRIGGER, due_at=now, now=now, enablement_id=enablement.id,
                         payload={"event": name, "data": data})


def _woken_now(session: Session, community_id: int, run_ids: set[int], now: datetime) -> set[str]:
    """The waits (:func:`wait_key`) of these runs that a wake due now will end already.

    The first wake of a wait that fires advances the run and cancels the others (a run woken reads what
    it waits for from the database, answers and votes alike): when twenty members answer at once, one
    wake does what twenty did, and nineteen jobs that would find their timer cancelled are not made."""
    if not run_ids:
        return set()
    keys = session.scalars(sa.select(Timer.key).where(
        Timer.community_id == community_id, Timer.run_id.in_(run_ids), Timer.kind == TimerKind.WAKE,
        Timer.status == TimerStatus.PENDING, Timer.due_at <= now))
    return {":".join(key.split(":", 2)[:2]) for key in keys}
