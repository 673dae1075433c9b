"""A run interrupted between steps — worker killed, Redis flushed — resumes and posts exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from plugin.queue.sweeper import sweep_once
from plugin.storage.models import OutboxMessage, Timer
from plugin.storage.states import RunStatus, TimerStatus
from plugin.storage.timers import HANDOFF_GRACE
from tests.workflows.conftest import Cop, T, workflow
from tests.workflows.test_steps import run_statuses


def test_redis_flushed_between_steps_loses_and_doubles_nothing(cop: Cop) -> None:
    cop.write("steps", workflow("steps", f"""\
        triggers: [{{manual: true}}]
        steps:
          - post: {{text: {T.format("one")}}}
          - wait: {{for: 1h}}
          - post: {{text: {T.format("two")}}}
          - wait: {{for: 1h}}
          - post: {{text: {T.format("three")}}}
        """))
    cop.command("enable steps")

    from tests.conftest import COMMAND_TOKEN
    from tests.support.payloads import slash_command

    cop.client.post("/mattermost/command", data=slash_command("run steps", COMMAND_TOKEN, user="admin"))
    cop.runtime.redis.flushdb()  # the queued job is lost before any worker saw it
    cop.run_worker()
    assert cop.texts() == []
    cop.clock.advance(HANDOFF_GRACE)
    cop.settle()
    assert cop.texts() == ["one"]

    cop.clock.advance(timedelta(hours=1))
    sweep_once(cop.runtime)  # the wake timer is queued ...
    cop.runtime.redis.flushdb()  # ... and lost again
    cop.clock.advance(HANDOFF_GRACE)
    cop.settle()
    cop.advance(timedelta(hours=1, minutes=1))
    assert cop.texts() == ["one", "two", "three"]
    assert run_statuses(cop) == [RunStatus.DONE]


def test_a_worker_that_dies_mid_timer_leaves_it_to_be_redone(cop: Cop) -> None:
    """A job that fails after claiming its timer rolls back: nothing half-done remains."""
    from plugin.queue import jobs

    cop.write("once", workflow("once", f"""\
        triggers: [{{manual: true}}]
        steps:
          - post: {{text: {T.format("exactly once")}}}
        """))
    cop.command("enable once")
    original = jobs.fire

    def crash_after_work(session, timer_id, now):  # type: ignore[no-untyped-def]
        original(session, timer_id, now)
        raise SystemExit("worker killed")  # like SIGKILL: the transaction never commits

    jobs.fire = crash_after_work
    try:
        from tests.conftest import COMMAND_TOKEN
        from tests.support.payloads import slash_command

        cop.client.post("/mattermost/command", data=slash_command("run once", COMMAND_TOKEN, user="admin"))
        with cop.runtime.database.session() as session:
            [start] = session.scalars(sa.select(Timer.id).where(Timer.key.like("run%:start")))
        with pytest.raises(SystemExit):
            jobs.fire_timer(start)
    finally:
        jobs.fire = original
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
        assert session.get_one(Timer, start).status == TimerStatus.PENDING
    cop.runtime.redis.flushdb()
    cop.clock.advance(HANDOFF_GRACE)
    cop.settle()
    cop.settle()
    assert cop.texts() == ["exactly once"]
