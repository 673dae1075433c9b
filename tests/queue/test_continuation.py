"""What a job creates, the same worker carries out right after it: in order, within bounds, and never
at the cost of the job it followed."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from plugin.demo.standin import StandInPlatform
from plugin.engine.loader import load_workflow
from plugin.queue import continuation
from plugin.queue.handoff import WorkItem, WorkKind
from plugin.queue.unit_of_work import unit_of_work
from plugin.queue.worker import worker_for
from plugin.runtime import Runtime
from plugin.storage import timers
from plugin.storage.models import Community, Timer
from plugin.storage.states import OutboxStatus, TimerKind
from plugin.workflows.enablement import enable
from tests.conftest import COMMAND_TOKEN
from tests.support.payloads import CHANNEL_ID, slash_command
from tests.support.records import make_community, outbox_messages


def item(n: int) -> WorkItem:
    return WorkItem(WorkKind.OUTBOX_MESSAGE, n)


def test_outside_a_job_everything_goes_to_the_queue() -> None:
    assert continuation.keep([item(1), item(2)]) == [item(1), item(2)]


def test_items_are_carried_out_in_order_and_what_they_create_after_them() -> None:
    done: list[int] = []

    def carry_out(work: WorkItem) -> None:
        done.append(work.row_id)
        if work.row_id == 1:
            assert continuation.keep([item(10)]) == []  # created by an item: carried out too, at the end

    queued: list[WorkItem] = []
    with continuation.continuing(carry_out, queued.extend, after="job"):
        assert continuation.keep([item(1), item(2)]) == []
    assert done == [1, 2, 10]
    assert queued == []


def test_beyond_its_bounds_the_rest_is_queued(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(continuation, "MAX_ITEMS", 2)
    done: list[int] = []
    queued: list[WorkItem] = []
    with continuation.continuing(lambda work: done.append(work.row_id), queued.extend, after="job"):
        continuation.keep([item(n) for n in range(1, 6)])
    assert done == [1, 2]
    assert queued == [item(3), item(4), item(5)]


def test_a_failing_item_is_logged_and_the_next_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    done: list[int] = []

    def carry_out(work: WorkItem) -> None:
        if work.row_id == 1:
            raise RuntimeError("the platform is down")
        done.append(work.row_id)

    with caplog.at_level(logging.INFO, logger="plugin.queue.continuation"), \
            continuation.continuing(carry_out, lambda rest: None, after="kring-timer-9"):
        continuation.keep([item(1), item(2)])
    assert done == [2]
    assert [r.levelno for r in caplog.records] == [logging.ERROR, logging.INFO]
    assert caplog.records[0].getMessage() == "kring-outbox-1 failed after job kring-timer-9; its row has the failure"


def test_a_job_that_fails_still_queues_what_it_committed() -> None:
    queued: list[WorkItem] = []
    with pytest.raises(RuntimeError), continuation.continuing(lambda work: None, queued.extend, after="job"):
        continuation.keep([item(1)])
        raise RuntimeError("after its commit")
    assert queued == [item(1)]


def test_a_command_and_its_post_are_one_rq_job(client: FlaskClient, runtime: Runtime,
                                               platform: StandInPlatform) -> None:
    make_community(runtime, "mattermost", CHANNEL_ID, members=("anna",))
    assert client.post("/mattermost/command", data=slash_command("intro", COMMAND_TOKEN)).status_code == 200
    assert runtime.queue.count == 1
    worker_for(runtime).work(burst=True, max_jobs=1)
    assert runtime.queue.count == 0  # nothing left for a second job
    [message] = outbox_messages(runtime)
    assert message.status == OutboxStatus.SENT
    assert message.result["post_id"] in platform.kring_posts


SCHEDULED_POST = """\
id: scheduled-post
version: 1
title: {nl: Bericht, en: Post}
description: {nl: Een bericht op tijd, en: A post on time}
triggers: [{schedule: {cron: "0 9 * * *"}}]
steps:
  - post: {text: {nl: "hallo {{ community.name }}", en: "hello {{ community.name }}"}}
"""


def test_a_due_trigger_its_run_and_its_post_are_one_rq_job(runtime: Runtime, platform: StandInPlatform) -> None:
    community_id = make_community(runtime, "mattermost", CHANNEL_ID)
    workflow, problems = load_workflow(SCHEDULED_POST, "scheduled-post.yaml")
    assert workflow is not None, problems
    now = runtime.clock.now()
    with unit_of_work(runtime) as session:
        enabled = enable(session, session.get_one(Community, community_id), workflow, {}, "test", now)
        timers.add_timer(session, key="due-trigger", community_id=community_id, kind=TimerKind.TRIGGER,
                         due_at=now, now=now, enablement_id=enabled.id, payload={"trigger": 0})
    assert runtime.queue.count == 1  # the due trigger, handed to the queue once the enabling committed
    worker_for(runtime).work(burst=True, max_jobs=1)
    assert runtime.queue.count == 0
    assert [p["message"] for p in platform.kring_posts.values()] == ["hello CoP Water"]
    with runtime.database.session() as session:
        assert session.scalars(sa.select(Timer.key).where(Timer.kind == TimerKind.WAKE)).all() == []
