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
from plugin.storage.models import Community, RunWait
from plugin.storage.states import TimerKind
from plugin.workflows.catalog import enabled_workflows


def emit(session: Session, community: Community, name: str, key: str | None, occurrence: str,
         data: dict[str, Any], now: datetime) -> None:
    names = [name] if key is None else [name, f"{name}:{key}"]
    lock_community(session, community.id)  # an advance under way commits first: its waits are read here
    waiting = session.execute(sa.select(RunWait.run_id, RunWait.token).where(
        RunWait.community_id == community.id, RunWait.event.in_(names)))
    for run_id, token in waiting:
        timers.add_timer(session, key=f"run{run_id}:wait{token}:{name}:{occurrence}", community_id=community.id,
                         kind=TimerKind.WAKE, due_at=now, now=now, run_id=run_id,
                         payload={"token": token, "reason": "event", "event": name, "data": data})
    for enablement, workflow in enabled_workflows(session, community.id):
        if not any(EventTrigger.starts_on(trigger.options, name) for trigger in workflow.triggers_of("event")):
            continue
        timers.add_timer(session, key=f"event:{enablement.id}:{name}:{occurrence}", community_id=community.id,
                         kind=TimerKind.TRIGGER, due_at=now, now=now, enablement_id=enablement.id,
                         payload={"event": name, "data": data})
