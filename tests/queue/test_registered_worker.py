"""A worker that empties the queue many times in a row (the simulation, the demo) registers once, carries
out each burst's jobs as RQ's burst mode does, and is gone from Redis when its block ends."""

from __future__ import annotations

from flask.testing import FlaskClient
from rq import Worker
from rq.job import Job, JobStatus

from plugin.demo.standin import StandInPlatform
from plugin.queue.handoff import JOB_FUNCTIONS, WorkKind
from plugin.queue.worker import registered_worker
from plugin.runtime import Runtime
from plugin.storage.states import OutboxStatus
from tests.conftest import COMMAND_TOKEN
from tests.support.payloads import CHANNEL_ID, slash_command
from tests.support.records import make_community, outbox_messages


def test_each_burst_carries_out_what_is_queued_and_the_worker_leaves_no_trace(
        client: FlaskClient, runtime: Runtime, platform: StandInPlatform) -> None:
    make_community(runtime, "mattermost", CHANNEL_ID, members=("anna",))
    with registered_worker(runtime) as worker:
        assert [w.name for w in Worker.all(queue=runtime.queue)] == [worker.name]
        assert worker.work_queued() == 0
        for burst in range(1, 4):
            assert client.post("/mattermost/command", data=slash_command("intro", COMMAND_TOKEN)).status_code == 200
            assert worker.work_queued() == 1
            assert runtime.queue.count == 0
            assert len(platform.kring_posts) == burst
        assert [w.name for w in Worker.all(queue=runtime.queue)] == [worker.name]  # registered once
        worker.refresh()
        assert worker.successful_job_count == 3  # RQ counted each job
    assert Worker.all(queue=runtime.queue) == []
    assert {m.status for m in outbox_messages(runtime)} == {OutboxStatus.SENT}


def test_a_finished_job_leaves_nothing_of_itself_in_redis(
        client: FlaskClient, runtime: Runtime, platform: StandInPlatform) -> None:
    """Kring's one-round-trip bookkeeping after a job removes what RQ's own does: the job, its execution,
    its place in the started registry; and counts the job for the worker."""
    make_community(runtime, "mattermost", CHANNEL_ID, members=("anna",))
    with registered_worker(runtime) as worker:
        assert client.post("/mattermost/command", data=slash_command("intro", COMMAND_TOKEN)).status_code == 200
        (job_id,) = runtime.queue.job_ids
        assert any(job_id in key.decode() for key in runtime.redis.keys("*"))
        assert worker.work_queued() == 1
        assert [key for key in runtime.redis.keys("*") if job_id in key.decode()] == []
        assert job_id not in runtime.queue.started_job_registry.get_job_ids()
        assert not Job.exists(job_id, connection=runtime.redis)
        worker.refresh()
        assert worker.successful_job_count == 1 and worker.total_working_time > 0
    assert len(platform.kring_posts) == 1


def test_a_job_whose_result_is_kept_gets_rqs_own_bookkeeping(runtime: Runtime) -> None:
    """A job enqueued with a result to keep (not one of Kring's hand-offs) is finished by RQ itself."""
    job = runtime.queue.enqueue(JOB_FUNCTIONS[WorkKind.TIMER], 10**9, result_ttl=600)
    with registered_worker(runtime) as worker:
        assert worker.work_queued() == 1
    job.refresh()
    assert job.get_status() == JobStatus.FINISHED  # kept, with its result, as RQ keeps it
    assert runtime.redis.ttl(job.key) > 0
