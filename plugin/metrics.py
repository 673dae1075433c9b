"""Counters the worker keeps in Redis (shared by all processes) and the gauges `/metrics` reads from
the database. Losing Redis resets the counters, never the work: the database is the truth."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from time import perf_counter

import redis
import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.storage import outbox
from plugin.storage.models import InboundEvent, OutboxMessage, Timer, WorkflowRun
from plugin.storage.states import TimerStatus

log = logging.getLogger(__name__)
COUNTERS_KEY = "kring:metrics"


def count(connection: redis.Redis, name: str, amount: float = 1) -> None:
    add(connection, {name: amount})


def add(connection: redis.Redis, amounts: dict[str, float]) -> None:
    """Add each amount to its counter, in one round trip."""
    try:
        pipeline = connection.pipeline(transaction=False)
        for name, amount in amounts.items():
            pipeline.hincrbyfloat(COUNTERS_KEY, name, amount)
        pipeline.execute()
    except redis.RedisError as exc:  # metrics never stop the work
        log.debug("metrics %s not counted: %s", ", ".join(amounts), exc)


@contextmanager
def timed(connection: redis.Redis, name: str) -> Iterator[None]:
    """Count one more ``name`` and add its duration to ``name_seconds``."""
    started = perf_counter()
    try:
        yield
    finally:
        add(connection, {f"{name}_seconds": perf_counter() - started, f"{name}_total": 1})


def counters(connection: redis.Redis) -> dict[str, float]:
    raw = connection.hgetall(COUNTERS_KEY)
    return {key.decode(): float(value) for key, value in raw.items()}  # type: ignore[union-attr]


#: Records counted by state: (metric, state column).
BY_STATE = (("kring_outbox_messages", OutboxMessage.status), ("kring_inbound_events", InboundEvent.status),
            ("kring_workflow_runs", WorkflowRun.status))


def gauges(session: Session, now: datetime) -> list[tuple[str, dict[str, str], float]]:
    """(metric, labels, value) for the state of the work in the database."""
    rows: list[tuple[str, dict[str, str], float]] = []
    for metric, column in BY_STATE:
        for state, number in session.execute(sa.select(column, sa.func.count()).group_by(column)):
            rows.append((metric, {"status": str(state)}, number))
    pending = sa.select(sa.func.count()).select_from(Timer).where(Timer.status == TimerStatus.PENDING)
    rows.append(("kring_outbox_backlog", {}, outbox.backlog(session)))
    rows.append(("kring_timers_pending", {}, session.scalar(pending) or 0))
    rows.append(("kring_timers_due", {}, session.scalar(pending.where(Timer.due_at <= now)) or 0))
    return rows
