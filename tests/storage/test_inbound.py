"""Inbound events: one row per delivery, claimed by one worker at a time, re-taken after a lease."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from plugin.runtime import Runtime
from plugin.storage import inbound
from plugin.storage.states import EventStatus

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def record(runtime: Runtime, delivery_id: str = "d-1", done: bool = False) -> inbound.Recorded:
    with runtime.database.session() as session:
        return inbound.record_event(session, platform="discourse", delivery_id=delivery_id,
                                    kind="topic_created", payload={"n": 1}, now=NOW, done=done)


def test_a_redelivery_returns_the_first_row(runtime: Runtime) -> None:
    first, again = record(runtime), record(runtime)
    assert first.created and not again.created
    assert first.event_id == again.event_id


def test_the_same_delivery_id_on_another_platform_is_another_event(runtime: Runtime) -> None:
    record(runtime)
    with runtime.database.session() as session:
        other = inbound.record_event(session, platform="mattermost", delivery_id="d-1", kind="command",
                                     payload={}, now=NOW)
    assert other.created


def test_claim_holds_a_lease_until_it_runs_out(runtime: Runtime) -> None:
    event_id = record(runtime).event_id
    with runtime.database.session() as session:
        assert inbound.claim_event(session, event_id, NOW) is not None
    with runtime.database.session() as session:
        assert inbound.claim_event(session, event_id, NOW + timedelta(seconds=10)) is None
    later = NOW + inbound.PROCESSING_LEASE + timedelta(seconds=1)
    with runtime.database.session() as session:
        assert inbound.SWEEPABLE.due_ids(session, later, 10) == [event_id]
        taken = inbound.claim_event(session, event_id, later)
        assert taken is not None and taken.attempts == 2


def test_a_finished_event_is_never_claimed_again(runtime: Runtime) -> None:
    event_id = record(runtime).event_id
    with runtime.database.session() as session:
        event = inbound.claim_event(session, event_id, NOW)
        assert event is not None
        inbound.finish_event(session, event, NOW)
    with runtime.database.session() as session:
        assert inbound.claim_event(session, event_id, NOW + timedelta(days=1)) is None
        assert inbound.SWEEPABLE.due_ids(session, NOW + timedelta(days=1), 10) == []


def test_an_event_recorded_as_done_is_not_due(runtime: Runtime) -> None:
    record(runtime, done=True)
    with runtime.database.session() as session:
        assert inbound.SWEEPABLE.due_ids(session, NOW + timedelta(days=1), 10) == []


def test_a_fresh_event_is_due_only_after_the_hand_off_grace(runtime: Runtime) -> None:
    event_id = record(runtime).event_id
    with runtime.database.session() as session:
        assert inbound.SWEEPABLE.due_ids(session, NOW, 10) == []
        assert inbound.SWEEPABLE.due_ids(session, NOW + inbound.HANDOFF_GRACE, 10) == [event_id]


def test_failures_are_retried_then_marked_failed(runtime: Runtime) -> None:
    event_id = record(runtime).event_id
    for attempt in range(inbound.MAX_ATTEMPTS):
        moment = NOW + attempt * (inbound.PROCESSING_LEASE + timedelta(seconds=1))
        with runtime.database.session() as session:
            assert inbound.claim_event(session, event_id, moment) is not None
        with runtime.database.session() as session:
            inbound.record_failure(session, event_id, moment, "boom")
    with runtime.database.session() as session:
        event = session.get_one(inbound.InboundEvent, event_id)
        assert (event.status, event.error, event.attempts) == (EventStatus.FAILED, "boom", inbound.MAX_ATTEMPTS)


def test_finishing_twice_is_refused(runtime: Runtime) -> None:
    event_id = record(runtime).event_id
    with runtime.database.session() as session:
        event = inbound.claim_event(session, event_id, NOW)
        assert event is not None
        inbound.finish_event(session, event, NOW)
        with pytest.raises(ValueError, match="cannot go from done to done"):
            inbound.finish_event(session, event, NOW)
