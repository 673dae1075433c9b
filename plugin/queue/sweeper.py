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
from plugin.storage.sweepable import HANDOFF_GRACE

log = logging.getLogger(__name__)

LOCK_KEY = "kring:sweeper-lock"
BATCH = 500
#: What the sweeper sweeps, in the order of :class:`SweepResult`'s fields.
SWEPT = {WorkKind.INBOUND_EVENT: inbound.SWEEPABLE, WorkKind.OUTBOX_MESSAGE: outbox.SWEEPABLE,
         WorkKind.TIMER: timers.SWEEPABLE}


@dataclass(frozen=True)
class SweepResult:
    events: int
    messages: int
    timers: int = 0


def sweep_once(runtime: Runtime) -> SweepResult:
    """Queue every due inbound event and outbox message, and give them time to be picked up."""
    now = runtime.clock.now()
    found: dict[WorkKind, list[int]] = {}
    with runtime.database.session() as session:
        for kind, table in SWEPT.items():
            found[kind] = table.postpone(session, table.due_ids(session, now, BATCH), now + HANDOFF_GRACE)
    hand_off(runtime.queue, *(WorkItem(kind, row_id) for kind, ids in found.items() for row_id in ids))
    return SweepResult(*(len(found[kind]) for kind in SWEPT))


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
