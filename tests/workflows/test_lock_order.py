"""One lock order for a community's workflow state (`plugin/storage/locks.py`), with real concurrent
transactions on the test database: an event emitted while a run is being advanced wakes the run at
the wait it reached, and workers firing timers of one run together never deadlock."""

from __future__ import annotations

import threading
from collections.abc import Callable

import sqlalchemy as sa

from plugin.queue.unit_of_work import unit_of_work
from plugin.storage.models import Community, Timer, WorkflowRun
from plugin.storage.states import RunStatus, TimerKind, TimerStatus
from plugin.workflows import events
from plugin.workflows.fire import fire
from tests.workflows.conftest import Cop, T, workflow

PINGS = 12


def pings_workflow(waits: int) -> str:
    waits_yaml = "".join("          - wait: {event: answer_received, timeout: 5d}\n" for _ in range(waits))
    return workflow("pings", "    triggers: [{manual: true}]\n    steps:\n" + waits_yaml
                    + f"          - post: {{text: {T.format('all pinged')}}}\n")


def emit_ping(cop: Cop, occurrence: str) -> None:
    with unit_of_work(cop.runtime) as session:
        events.emit(session, session.get_one(Community, cop.community_id), "answer_received", None, occurrence, {},
                    cop.clock.now())


def pending_wakes(cop: Cop) -> list[int]:
    with cop.runtime.database.session() as session:
        return list(session.scalars(sa.select(Timer.id).where(
            Timer.kind == TimerKind.WAKE, Timer.status == TimerStatus.PENDING, Timer.due_at <= cop.clock.now())))


def in_thread(work: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def guarded() -> None:
        try:
            work()
        except BaseException as exc:  # every thread's failure is the test's
            errors.append(exc)

    thread = threading.Thread(target=guarded)
    thread.start()
    return thread


def test_an_event_emitted_during_an_advance_wakes_the_run_at_its_new_wait(cop: Cop) -> None:
    cop.write("pings", pings_workflow(2))
    cop.command("enable pings")
    cop.command("run pings")
    emit_ping(cop, "first")
    [first_wake] = pending_wakes(cop)
    advanced, release, errors = threading.Event(), threading.Event(), []

    def advance_and_hold() -> None:  # a worker between its advance and its commit
        with unit_of_work(cop.runtime) as session:
            assert fire(session, first_wake, cop.clock.now())
            advanced.set()
            release.wait(10)

    advancing = in_thread(advance_and_hold, errors)
    assert advanced.wait(10)
    emitting = in_thread(lambda: emit_ping(cop, "second"), errors)  # a vote committed meanwhile
    emitting.join(0.5)
    release.set()
    advancing.join(10)
    emitting.join(10)
    assert errors == []
    cop.settle()
    assert "all pinged" in cop.texts()


def test_events_for_a_wait_a_wake_will_end_already_make_no_second_wake(cop: Cop) -> None:
    """Twenty members answering at once wake the waiting run once: the first wake ends the wait (the
    run reads what it waits for from the database) and would cancel the others. The wait's own timeout,
    due later, does not count as a wake."""
    cop.write("pings", pings_workflow(2))
    cop.command("enable pings")
    cop.command("run pings")
    for occurrence in ("a", "b", "c"):
        emit_ping(cop, occurrence)
    assert len(pending_wakes(cop)) == 1
    cop.settle()
    assert pending_wakes(cop) == [] and "all pinged" not in cop.texts()
    emit_ping(cop, "d")  # the run waits again: a new wait, a new wake
    assert len(pending_wakes(cop)) == 1
    cop.settle()
    assert "all pinged" in cop.texts()


def test_workers_firing_one_runs_timers_together_do_not_deadlock(cop: Cop) -> None:
    cop.write("pings", pings_workflow(PINGS))
    cop.command("enable pings")
    cop.command("run pings")
    errors: list[BaseException] = []
    for round_number in range(PINGS):
        for number in range(3):  # several events at the same wait: several wakes of one run
            emit_ping(cop, f"r{round_number}e{number}")
        wakes = pending_wakes(cop)
        start = threading.Barrier(len(wakes))

        def fire_at_once(timer_id: int, start: threading.Barrier = start) -> None:
            start.wait(10)
            with unit_of_work(cop.runtime) as session:
                fire(session, timer_id, cop.clock.now())

        workers = [in_thread(lambda timer_id=timer_id: fire_at_once(timer_id), errors) for timer_id in wakes]
        for worker in workers:
            worker.join(30)
    assert errors == []
    with cop.runtime.database.session() as session:
        [run] = session.scalars(sa.select(WorkflowRun))
        assert run.status == RunStatus.DONE
    cop.settle()
    assert cop.texts().count("all pinged") == 1
