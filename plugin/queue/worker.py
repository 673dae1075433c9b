"""Kring's RQ worker: it reads jobs as JSON and runs only Kring's own job functions.

Whoever can write to Redis can put a job on the queue. With RQ's default serializer (pickle) merely
reading such a job runs code of the writer's choosing; with JSON a job is data, and a job whose
function is not one of Kring's (:data:`plugin.queue.handoff.JOB_FUNCTIONS`) fails without running.
Production still needs an authenticated Redis (see the README's Operations section).
"""

from __future__ import annotations

import logging
from typing import Any

from rq import SimpleWorker
from rq.serializers import JSONSerializer

from plugin.queue.handoff import JOB_FUNCTIONS
from plugin.runtime import Runtime

log = logging.getLogger(__name__)
ALLOWED_JOBS = frozenset(JOB_FUNCTIONS.values())


class KringWorker(SimpleWorker):
    """A `SimpleWorker` (no fork per job) that refuses jobs Kring did not define."""

    def perform_job(self, job: Any, queue: Any, execution: Any) -> bool:
        if job.func_name not in ALLOWED_JOBS:
            reason = f"refused: {job.func_name!r} is not one of Kring's jobs"
            log.error("job %s %s", job.id, reason)
            self.handle_job_failure(job, queue=queue, exc_string=reason, execution=execution)
            return False
        return bool(super().perform_job(job, queue, execution))


def worker_for(runtime: Runtime) -> KringWorker:
    return KringWorker([runtime.queue], connection=runtime.redis, serializer=JSONSerializer)
