"""Work a worker's job creates, carried out by the same worker right after that job, instead of as
new RQ jobs.

A due timer that starts a run whose first step posts used to cost three RQ jobs (fire the timer, wake
the run, deliver the post), each a round of RQ's own bookkeeping in Redis, several times the work itself.
The database stays the source of truth: the new timer and outbox rows are committed before they are
carried out, and each is claimed first, so a copy the sweeper queued meanwhile does nothing. What one
job's continuation does not get to (more than :data:`MAX_ITEMS`, or after :data:`MAX_SECONDS`) is queued
as before, and so is everything when the worker stops in between: the sweeper finds the rows.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from plugin.queue.handoff import WorkItem

log = logging.getLogger(__name__)

#: Most items one job's continuation carries out: a run that posts to every member (20 direct
#: messages) and its next steps fit; a flood is shared with the other workers through the queue.
MAX_ITEMS = 100
#: A continuation starts no item after this long, so a job never keeps its worker for long.
MAX_SECONDS = 20.0

_waiting: ContextVar[deque[WorkItem] | None] = ContextVar("kring_continuation", default=None)


def keep(items: list[WorkItem]) -> list[WorkItem]:
    """Take ``items`` into the running job's continuation; what is left to queue (all of them when no
    job of this worker is running)."""
    waiting = _waiting.get()
    if waiting is None:
        return items
    waiting.extend(items)
    return []


@contextmanager
def continuing(carry_out: Callable[[WorkItem], None], queue_rest: Callable[[list[WorkItem]], None], after: str
               ) -> Iterator[None]:
    """Around the job ``after``: afterwards, carry out (``carry_out``) what it and its continuation
    created, in order, within the bounds, each logged in one line as RQ logs a job; ``queue_rest``
    queues what is left. A failing item is logged and left to its row (which records the failure and its
    retry), never failing the job it followed."""
    if _waiting.get() is not None:  # inside another job's continuation: that one carries it out
        yield
        return
    waiting: deque[WorkItem] = deque()
    token = _waiting.set(waiting)
    try:
        yield
        started, done = time.monotonic(), 0
        while waiting and done < MAX_ITEMS and time.monotonic() - started < MAX_SECONDS:
            item = waiting.popleft()
            done += 1
            began = time.monotonic()
            try:
                carry_out(item)
            except Exception:
                log.exception("%s failed after job %s; its row has the failure", item.name, after)
            else:
                log.info("Completed %s after job %s in %.3fs", item.name, after, time.monotonic() - began)
    finally:
        _waiting.reset(token)
        if waiting:
            queue_rest(list(waiting))
