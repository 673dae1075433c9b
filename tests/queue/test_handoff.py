"""Work crosses to the worker as RQ jobs that name their row; each hand-off is a job of its own."""

from __future__ import annotations

import pytest
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


def test_what_one_transaction_created_is_queued_in_one_round_trip_in_order(
        runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime.queue.empty()
    items = [WorkItem(WorkKind.OUTBOX_MESSAGE, 7), WorkItem(WorkKind.TIMER, 3), WorkItem(WorkKind.INBOUND_EVENT, 9)]
    round_trips: list[int] = []
    pipeline_class = type(runtime.queue.connection.pipeline())
    execute = pipeline_class.execute
    monkeypatch.setattr(pipeline_class, "execute",
                        lambda self, *a, **k: round_trips.append(1) or execute(self, *a, **k))
    hand_off(runtime.queue, *items)
    monkeypatch.undo()
    assert round_trips == [1]
    jobs = [Job.fetch(job_id, connection=runtime.redis, serializer=JSONSerializer) for job_id in runtime.queue.job_ids]
    assert [(job.description, list(job.args)) for job in jobs] == [
        ("kring-outbox-7", [7]), ("kring-timer-3", [3]), ("kring-inbound-9", [9])]
    assert runtime.redis.sismember("rq:queues", runtime.queue.key)
