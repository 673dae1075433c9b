"""RQ jobs: plain top-level functions that take a row id and claim the row before acting.

Claiming makes every job safe to run twice (a redelivered or re-swept job finds nothing to do),
which is what lets Kring re-enqueue freely after Redis loses its queue.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from plugin.metrics import timed
from plugin.platforms.events import EVENT_TYPES
from plugin.queue import events
from plugin.queue.delivery import deliver
from plugin.queue.native_polls import sync_native_poll
from plugin.queue.unit_of_work import unit_of_work
from plugin.runtime import Runtime, build_runtime
from plugin.storage import inbound, timers
from plugin.storage.models import InboundEvent, Timer
from plugin.storage.states import TimerKind, TimerStatus
from plugin.workflows.fire import fire

log = logging.getLogger(__name__)

_runtime: Runtime | None = None
_runtime_lock = threading.Lock()


def use_runtime(runtime: Runtime | None) -> None:
    """Set the runtime jobs in this process use (the worker command and tests call this)."""
    global _runtime  # noqa: PLW0603 - one runtime per worker process, like Flask's current_app
    with _runtime_lock:
        _runtime = runtime


def current_runtime() -> Runtime:
    global _runtime  # noqa: PLW0603
    with _runtime_lock:
        if _runtime is None:
            from plugin.config import load_config

            _runtime = build_runtime(load_config(), for_worker=True)
        return _runtime


@contextmanager
def failures_recorded(runtime: Runtime, record: Callable[[Session, int, datetime, str], object], row_id: int
                      ) -> Iterator[None]:
    """Note a failed attempt on the row in a transaction of its own (the work's own rolled back)."""
    try:
        yield
    except StaleDataError:
        raise
    except Exception as exc:
        log.exception("%s %s failed", record.__module__.rsplit(".", 1)[-1], row_id)
        with runtime.database.session() as session:
            record(session, row_id, runtime.clock.now(), f"{type(exc).__name__}: {exc}")
        raise


def process_inbound_event(event_id: int) -> None:
    runtime = current_runtime()
    with runtime.database.session() as session:
        claimed = inbound.claim_event(session, event_id, runtime.clock.now(), runtime.lease) is not None
    if not claimed:
        return
    now = runtime.clock.now()
    with failures_recorded(runtime, inbound.record_failure, event_id):
        with runtime.database.session() as session:
            row = session.get_one(InboundEvent, event_id)
            event = EVENT_TYPES[row.kind].from_payload(dict(row.payload))
        apply = events.prepare(runtime, event)  # platform calls, before the transaction
        with unit_of_work(runtime) as session:
            apply(session, now)
            inbound.finish_event(session, session.get_one(InboundEvent, event_id), now)


def fire_timer(timer_id: int) -> None:
    """Carry out a due timer; its claim and all its effects commit together or not at all."""
    runtime = current_runtime()
    try:
        with timed(runtime.redis, "kring_timer_fire"), failures_recorded(runtime, timers.record_timer_failure,
                                                                       timer_id), unit_of_work(runtime) as session:
            if fire(session, timer_id, runtime.clock.now()):
                return
    except StaleDataError:
        log.info("timer %s: its run moved on concurrently; the sweeper retries it", timer_id)
        return
    with runtime.database.session() as session:  # done already, cancelled, or a read-back
        kind = session.scalar(sa.select(Timer.kind).where(Timer.id == timer_id, Timer.status == TimerStatus.PENDING))
    if kind == TimerKind.POLL_SYNC:  # calls the platform, so not inside the timer's transaction
        with failures_recorded(runtime, timers.record_timer_failure, timer_id):
            sync_native_poll(runtime, timer_id)


def deliver_outbox_message(message_id: int) -> None:
    deliver(current_runtime(), message_id)
