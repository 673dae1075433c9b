"""A transaction whose outbox messages and due timers are handed to the worker once it commits."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from sqlalchemy.orm import Session

from plugin.queue.continuation import keep
from plugin.queue.handoff import WorkItem, WorkKind, hand_off
from plugin.runtime import Runtime
from plugin.storage.pending import Pending, pending

log = logging.getLogger(__name__)


def hand_off_items(runtime: Runtime, items: list[WorkItem]) -> None:
    """Queue ``items``; if Redis is down the sweeper queues them later."""
    try:
        hand_off(runtime.queue, *items)
    except redis.RedisError as exc:
        log.warning("queue unavailable (%s); the sweeper will pick up %d item(s)", exc, len(items))


def hand_off_pending(runtime: Runtime, work: Pending) -> None:
    """Hand what a committed transaction created to the running job's continuation (in a worker), or
    else to the queue."""
    items = [WorkItem(WorkKind.OUTBOX_MESSAGE, i) for i in work.outbox]
    items += [WorkItem(WorkKind.TIMER, i) for i in work.timers]
    hand_off_items(runtime, keep(items))


@contextmanager
def unit_of_work(runtime: Runtime) -> Iterator[Session]:
    with runtime.database.session() as session:
        yield session
        work = pending(session)
    hand_off_pending(runtime, work)
