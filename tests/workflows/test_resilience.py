"""A run interrupted between steps — its queued jobs lost with Redis — resumes and posts exactly once.

A worker killed inside a timer's transaction: tests/test_faults.py (a real process, SIGKILL)."""

from __future__ import annotations

from datetime import timedelta

from plugin.queue.sweeper import sweep_once
from plugin.storage.states import RunStatus
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
