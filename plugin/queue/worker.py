"""Kring's RQ worker: it reads jobs as JSON and runs only Kring's own job functions.

Whoever can write to Redis can put a job on the queue. With RQ's default serializer (pickle) merely
reading such a job runs code of the writer's choosing; with JSON a job is data, and a job whose
function is not one of Kring's (:data:`plugin.queue.handoff.JOB_FUNCTIONS`) fails without running.
Production still needs an authenticated Redis (see the README's Operations section).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rq import SimpleWorker
from rq.job import JobStatus
from rq.logutils import setup_loghandlers
from rq.results import Result
from rq.serializers import JSONSerializer
from rq.utils import import_attribute

from plugin.queue.continuation import continuing
from plugin.queue.handoff import JOB_FUNCTIONS, WorkItem
from plugin.queue.jobs import current_runtime
from plugin.queue.unit_of_work import hand_off_items
from plugin.runtime import Runtime

log = logging.getLogger(__name__)
ALLOWED_JOBS = frozenset(JOB_FUNCTIONS.values())


#: RQ's own lines about each job besides "Successfully completed kring-outbox-12 job in 0:00:00.03s":
#: when it was taken and "Job OK". Logged at DEBUG, so that a job is one line at INFO.
_PER_JOB_LINES = frozenset({"Worker %s: %s: %s (%s)", "Worker %s: %s: %s"})


class _OneLinePerJob(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and record.msg in _PER_JOB_LINES:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


_rq_log = logging.getLogger("rq.worker")
if not any(isinstance(f, _OneLinePerJob) for f in _rq_log.filters):
    _rq_log.addFilter(_OneLinePerJob())


class KringWorker(SimpleWorker):
    """A `SimpleWorker` (no fork per job) that refuses jobs Kring did not define, and carries out what
    each job created after it (:mod:`plugin.queue.continuation`)."""

    #: Results are not kept (``result_ttl=0``): RQ need not say so for every job.
    log_result_lifespan = False

    def perform_job(self, job: Any, queue: Any, execution: Any) -> bool:
        if job.func_name not in ALLOWED_JOBS:
            reason = f"refused: {job.func_name!r} is not one of Kring's jobs"
            log.error("job %s %s", job.id, reason)
            self.handle_job_failure(job, queue=queue, exc_string=reason, execution=execution)
            return False
        with continuing(_carry_out, self._queue_rest, after=job.description or job.id):
            return bool(super().perform_job(job, queue, execution))

    def handle_job_success(self, job: Any, queue: Any, started_job_registry: Any, execution: Any) -> None:
        """RQ's bookkeeping after a job of Kring's, in one round trip instead of ten.

        RQ's own version watches the job's dependents and reads them, reads the job's status and reads
        its executions back twice to delete them, each a round trip of its own. Kring's jobs have none of
        what those reads look for: no result kept, no repeats, no group, no rate limit, and no job
        enqueued to depend on them (:func:`plugin.queue.handoff.hand_off`); a job with a kept result, a
        repeat, a group or a rate limit gets RQ's own handling."""
        if job.get_result_ttl(self.default_result_ttl) != 0 or job.repeats_left or job.group_id or job.has_rate_limit:
            super().handle_job_success(job, queue, started_job_registry, execution)
            return
        with self.connection.pipeline() as pipeline:
            self.increment_successful_job_count(pipeline=pipeline)
            self.increment_total_working_time(job.ended_at - job.started_at, pipeline)
            self.cleanup_execution(job, pipeline=pipeline, execution=execution)
            pipeline.delete(job.key, job.dependents_key, job.dependencies_key, job.execution_registry.key,
                            Result.get_key(job.id))  # type: ignore[no-untyped-call]
            pipeline.execute()
        job._status = JobStatus.FINISHED
        self.log.info("Successfully completed %s job in %ss on worker %s", job.description,
                      job.ended_at - job.started_at, self.name)

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        """RQ's heartbeat, in one round trip: it sends three commands one by one when it is given no
        pipeline, twice around every dequeue (a third of the worker's calls to Redis)."""
        if pipeline is not None:
            super().heartbeat(timeout, pipeline)
            return
        with self.connection.pipeline() as batch:
            super().heartbeat(timeout, batch)
            batch.execute()

    def _queue_rest(self, items: list[WorkItem]) -> None:
        hand_off_items(current_runtime(), items)

    def work_queued(self) -> int:
        """Carry out every job queued now, one after the other, as ``work(burst=True)`` does, but for a
        worker that stays registered between bursts (:func:`registered_worker`); how many jobs it took."""
        done = 0
        while (found := self.dequeue_job_and_maintain_ttl(None)) is not None:
            self.execute_job(*found)
            done += 1
        return done


def _carry_out(item: WorkItem) -> None:
    import_attribute(JOB_FUNCTIONS[item.kind])(item.row_id)


def worker_for(runtime: Runtime) -> KringWorker:
    return KringWorker([runtime.queue], connection=runtime.redis, serializer=JSONSerializer)


@contextmanager
def registered_worker(runtime: Runtime, logging_level: str = "WARNING") -> Iterator[KringWorker]:
    """A worker for a process that empties the queue many times in a row (`kring simulate`, the demo),
    each time with :meth:`KringWorker.work_queued`. It registers once. Each ``work(burst=True)`` registers
    the worker, starts a thread that listens for RQ's worker commands, and stops that thread again (a wait
    of up to its poll interval): an 18-month simulation, with its 381 bursts, took 7 s less of its 23."""
    for name in ("rq.worker", "rq.job"):
        setup_loghandlers(logging_level, name=name)
    worker = worker_for(runtime)
    worker.register_birth()  # type: ignore[no-untyped-call]  # RQ leaves it unannotated
    try:
        yield worker
    finally:
        worker.register_death()  # type: ignore[no-untyped-call]
