"""From HTTP to the platform through the real worker, when Redis, the worker or the platform fail."""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from plugin.clock import VirtualClock
from plugin.demo.standin import StandInPlatform
from plugin.queue.sweeper import Sweeper, sweep_once
from plugin.queue.worker import worker_for
from plugin.runtime import Runtime
from plugin.storage import inbound
from plugin.storage.states import EventStatus, OutboxStatus
from tests.conftest import COMMAND_TOKEN
from tests.support.payloads import CHANNEL_ID, slash_command
from tests.support.records import events, fast_retries, make_community, outbox_messages
from webhooks import create_app

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def runtime(make_runtime: Callable[..., Runtime], clock: VirtualClock) -> Runtime:
    runtime = make_runtime(clock=clock)
    fast_retries(runtime)
    make_community(runtime, "mattermost", CHANNEL_ID, members=("anna",))
    return runtime


@pytest.fixture
def client(runtime: Runtime) -> FlaskClient:
    return create_app(runtime=runtime).test_client()


def intro(client: FlaskClient) -> None:
    assert client.post("/mattermost/command", data=slash_command("intro", COMMAND_TOKEN)).status_code == 200


def test_a_flushed_redis_loses_nothing(client: FlaskClient, runtime: Runtime, clock: VirtualClock,
                                       platform: StandInPlatform, run_worker: Callable[[], None]) -> None:
    intro(client)
    runtime.redis.flushdb()  # the queued job is gone
    run_worker()
    assert platform.posts() == []

    assert sweep_once(runtime).events == 0  # not due yet: its job may still be on its way
    clock.advance(inbound.HANDOFF_GRACE)
    assert sweep_once(runtime).events == 1
    run_worker()
    assert len(platform.posts()) == 1
    assert sweep_once(runtime).events == 0


def test_a_worker_killed_mid_event_is_replaced_after_its_lease(
        client: FlaskClient, runtime: Runtime, clock: VirtualClock, platform: StandInPlatform,
        run_worker: Callable[[], None]) -> None:
    intro(client)
    [event] = events(runtime)
    with runtime.database.session() as session:  # a worker claims it, then dies
        assert inbound.claim_event(session, event.id, clock.now()) is not None
    runtime.redis.flushdb()
    clock.advance(inbound.PROCESSING_LEASE + timedelta(seconds=1))
    assert sweep_once(runtime).events == 1
    run_worker()
    assert len(platform.posts()) == 1
    assert [e.status for e in events(runtime)] == [EventStatus.DONE]


def test_server_errors_are_retried_within_the_call(client: FlaskClient, runtime: Runtime,
                                                   platform: StandInPlatform, run_worker: Callable[[], None]) -> None:
    platform.fail_next(502, times=2)
    intro(client)
    run_worker()
    assert len(platform.posts()) == 1
    [message] = outbox_messages(runtime)
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)


def waits_of(runtime: Runtime, platform: str = "mattermost") -> list[float]:
    """The client's waits, recorded instead of slept (the schedule is what is checked, not the clock)."""
    slept: list[float] = []
    runtime.connector(platform).outbound.client.http.sleep = slept.append  # type: ignore[union-attr]
    return slept


def test_429_waits_for_retry_after_and_errors_back_off(client: FlaskClient, runtime: Runtime,
                                                       platform: StandInPlatform, clock: VirtualClock,
                                                       run_worker: Callable[[], None]) -> None:
    slept = waits_of(runtime)
    platform.fail_next(429, headers={"Retry-After": "3"})
    platform.fail_next(502, times=2, path="/api/v4/posts")  # after the 429: the backoff, doubling
    intro(client)
    run_worker()
    assert slept == [3.0, 0.02, 0.04]  # attempt n waits backoff * 2**(n-1), a 429 what it asked
    assert len(platform.posts()) == 1
    platform.fail_next(429, headers={"Retry-After": "600"})  # too long to sit out holding a worker
    intro(client)
    run_worker()
    [_, waiting] = outbox_messages(runtime)
    assert waiting.status == OutboxStatus.PENDING and slept == [3.0, 0.02, 0.04]
    assert waiting.next_attempt_at.replace(tzinfo=None) >= (clock.now() + timedelta(seconds=600)).replace(tzinfo=None)


def test_a_platform_down_for_a_while_gets_the_post_when_it_returns(
        client: FlaskClient, runtime: Runtime, clock: VirtualClock, platform: StandInPlatform,
        run_worker: Callable[[], None]) -> None:
    platform.fail_next(503, times=8)  # two delivery attempts of four tries each
    intro(client)
    run_worker()
    for _ in range(2):
        [message] = outbox_messages(runtime)
        assert message.status == OutboxStatus.PENDING
        assert "503" in (message.last_error or "")
        clock.advance(message.next_attempt_at - clock.now())
        assert sweep_once(runtime).messages == 1
        run_worker()
    [message] = outbox_messages(runtime)
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 3)
    assert len(platform.posts()) == 1


def test_a_timeout_is_retried(client: FlaskClient, runtime: Runtime, platform: StandInPlatform,
                              run_worker: Callable[[], None]) -> None:
    from dataclasses import replace

    from plugin.platforms.mattermost.connector import MattermostConnector

    runtime.connectors["mattermost"] = MattermostConnector(replace(runtime.config, http_timeout=0.2), [],
                                                           runtime.signer, runtime.clock)
    fast_retries(runtime)
    platform.fail_next(201, delay=0.5, path="/api/v4/posts", done_first=True)  # made, then answered too late
    intro(client)
    run_worker()
    assert len(platform.posts()) == 1  # the retry repeats the pending post id: the server made one post
    assert len([r for r in platform.requests if r.method == "POST" and r.path == "/api/v4/posts"]) == 2
    [message] = outbox_messages(runtime)
    assert message.status == OutboxStatus.SENT and message.result["post_id"]


def test_rejected_credentials_are_not_retried(client: FlaskClient, runtime: Runtime, platform: StandInPlatform,
                                              run_worker: Callable[[], None]) -> None:
    platform.fail_next(401)
    intro(client)
    run_worker()
    [message] = outbox_messages(runtime)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert "401" in (message.last_error or "")
    assert platform.posts() == []


def test_the_sweeper_thread_queues_due_work(client: FlaskClient, runtime: Runtime, clock: VirtualClock,
                                            platform: StandInPlatform, run_worker: Callable[[], None]) -> None:
    intro(client)
    runtime.redis.flushdb()
    clock.advance(inbound.HANDOFF_GRACE)
    sweeper = Sweeper(runtime, interval=0.05)
    sweeper.start()
    try:
        deadline = time.monotonic() + 5
        while runtime.queue.count == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        sweeper.stop()
        sweeper.join(timeout=5)
    run_worker()
    assert len(platform.posts()) == 1


def test_a_job_written_into_redis_by_someone_else_runs_nothing(runtime: Runtime, tmp_path: Path) -> None:
    """Write access to Redis is not code execution: jobs are read as JSON, and a function that is not
    one of Kring's jobs fails without running."""
    proof = tmp_path / "ran"
    forged = runtime.queue.enqueue("os.system", f"touch {proof}")
    pickled = runtime.queue.enqueue("plugin.queue.jobs.fire_timer", 1)
    runtime.redis.hset(f"rq:job:{pickled.id}", "data", pickle.dumps(("os.system", None, (f"touch {proof}",), {})))
    worker_for(runtime).work(burst=True, logging_level="CRITICAL")
    assert not proof.exists()
    assert forged.id in runtime.queue.failed_job_registry.get_job_ids()  # refused, not run
    assert runtime.queue.count == 0  # and the pickled one was not read as a job either
