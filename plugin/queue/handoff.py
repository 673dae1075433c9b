"""The one typed function through which work crosses from a web process to the worker."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum

from rq import Queue


class WorkKind(StrEnum):
    INBOUND_EVENT = "inbound"
    OUTBOX_MESSAGE = "outbox"
    TIMER = "timer"


@dataclass(frozen=True)
class WorkItem:
    """A row id to work on; the row in the database says everything else."""

    kind: WorkKind
    row_id: int

    @property
    def name(self) -> str:
        """What operators see as the job's description: the kind of work and its row."""
        return f"kring-{self.kind.value}-{self.row_id}"


JOB_FUNCTIONS = {
    WorkKind.INBOUND_EVENT: "plugin.queue.jobs.process_inbound_event",
    WorkKind.OUTBOX_MESSAGE: "plugin.queue.jobs.deliver_outbox_message",
    WorkKind.TIMER: "plugin.queue.jobs.fire_timer",
}


def hand_off(queue: Queue, *items: WorkItem) -> None:
    """Enqueue ``items``, in one round trip to Redis; a repeat of the same item is harmless because jobs
    claim their row first.

    Every hand-off is its own RQ job (a fresh id): RQ keeps finished and failed jobs by id, and a row
    id used again (a retry, a database restored or emptied) must not share a job with old RQ state.
    Through a pipeline RQ also adds the queue to its list of queues in the same round trip (on its own
    it sends that first, as a transaction of its own). No items, no round trip: an empty pipeline sends
    nothing.
    """
    with queue.connection.pipeline() as batch:
        for item in items:
            queue.enqueue_call(JOB_FUNCTIONS[item.kind], (item.row_id,), job_id=f"{item.name}-{secrets.token_hex(6)}",
                               result_ttl=0, failure_ttl=86_400, description=item.name, pipeline=batch)
        batch.execute()
