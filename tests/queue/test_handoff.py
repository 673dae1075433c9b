"""Work crosses to the worker as RQ jobs that name their row; each hand-off is a job of its own."""

from __future__ import annotations

from rq.job import Job
from rq.serializers import JSONSerializer

from plugin.queue.handoff import WorkItem, WorkKind, hand_off
from plugin.runtime import Runtime


def test_a_row_handed_off_again_is_a_new_job_not_old_rq_state(runtime: Runtime) -> None:
    runtime.queue.empty()
    item = WorkItem(WorkKind.OUTBOX_MESSAGE, 1)
    hand_off(runtime.queue, item)
    first = runtime.queue.job_ids[0]
    # What RQ does with a finished job (result_ttl=0):
    Job.fetch(first, connection=runtime.redis, serializer=JSONSerializer).delete()
    hand_off(runtime.queue, item)  # a retry of the same row: a fresh job, not the deleted one
    hand_off(runtime.queue, item)
    ids = runtime.queue.job_ids
    assert len(ids) == 2 and first not in ids and len(set(ids)) == 2
    jobs = [Job.fetch(job_id, connection=runtime.redis, serializer=JSONSerializer) for job_id in ids]
    assert {job.description for job in jobs} == {"kring-outbox-1"}
    assert all(list(job.args) == [1] and job.func_name == "plugin.queue.jobs.deliver_outbox_message" for job in jobs)
