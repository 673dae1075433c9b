"""The worker's sweeper: finds due work in the database and queues it.

The database is the source of truth, so this is what makes Redis disposable: an event whose job
was lost (Redis flushed, worker killed) becomes due again and is queued once more. Only one
sweeper at a time does the work, guarded by a short Redis lock.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import redis

from plugin.queue.handoff import WorkItem, WorkKind, hand_off
from plugin.runtime import Runtime
from plugin.storage import inbound, outbox, timers

log = logging.getLogger(__name__)

LOCK_KEY = "kring:sweeper-lock"
BATCH = 500


@dataclass(frozen=True)
class SweepResult:
    events: int
    messages: int
    timers: int = 0


def sweep_once(runtime: Runtime) -> SweepResult:
    """Queue every due inbound event and outbox message, and give them time to be picked up."""
    now = runtime.clock.now()
    with runtime.database.session() as session:
        event_ids = inbound.due_event_ids(session, now, BATCH)
        message_ids = outbox.due_message_ids(session, now, BATCH)
        timer_ids = timers.due_timer_ids(session, now, BATCH)
        inbound.postpone_events(session, event_ids, now + inbound.HANDOFF_GRACE)
        outbox.postpone_messages(session, message_ids, now + inbound.HANDOFF_GRACE)
        timers.postpone_timers(session, timer_ids, now + timers.HANDOFF_GRACE)
    for kind, ids in ((WorkKind.INBOUND_EVENT, event_ids), (WorkKind.OUTBOX_MESSAGE, message_ids),
                      (WorkKind.TIMER, timer_ids)):
        for row_id in ids:
            hand_off(runtime.queue, WorkItem(kind, row_id))
    return SweepResult(len(event_ids), len(message_ids), len(timer_ids))


class Sweeper(threading.Thread):
    """Runs :func:`sweep_once` every ``interval`` seconds until stopped."""

    def __init__(self, runtime: Runtime, interval: float) -> None:
        super().__init__(name="kring-sweeper", daemon=True)
        self.runtime = runtime
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        # Shorter than one interval, so this sweeper can take it again next round.
        lock_ms = max(int(self.interval * 900), 100)
        while not self.stopped.is_set():
            try:
                if self.runtime.redis.set(LOCK_KEY, "1", nx=True, px=lock_ms):
                    result = sweep_once(self.runtime)
                    if result.events or result.messages or result.timers:
                        log.info("sweeper queued %d event(s), %d message(s), %d timer(s)", result.events,
                                 result.messages, result.timers)
            except redis.RedisError as exc:
                log.warning("sweeper: Redis unavailable (%s); retrying", exc)
            except Exception:
                log.exception("sweeper failed; retrying")
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
