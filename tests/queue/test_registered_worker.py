"""A worker that empties the queue many times in a row (the simulation, the demo) registers once, carries
out each burst's jobs as RQ's burst mode does, and is gone from Redis when its block ends."""

from __future__ import annotations

from flask.testing import FlaskClient
from rq import Worker

from plugin.demo.standin import StandInPlatform
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
