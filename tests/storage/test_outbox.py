"""The outbox: one row per idempotency key, claimed once, retried with backoff, then given up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from plugin.runtime import Runtime
from plugin.storage import outbox
from plugin.storage.models import OutboxMessage
from plugin.storage.states import OutboxStatus

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def add(runtime: Runtime, key: str = "k-1") -> int:
    with runtime.database.session() as session:
        return outbox.add_message(session, idempotency_key=key, platform="mattermost", operation="post",
                                  payload={"group_id": "c", "text": "hi"}, now=NOW)


def test_the_same_key_is_one_message(runtime: Runtime) -> None:
    assert add(runtime) == add(runtime)
    assert add(runtime, "k-2") != add(runtime)
    with runtime.database.session() as session:
        assert outbox.backlog(session) == 2


def test_a_claimed_message_is_not_claimed_twice(runtime: Runtime) -> None:
    message_id = add(runtime)
    with runtime.database.session() as session:
        assert outbox.claim_message(session, message_id, NOW) is not None
    with runtime.database.session() as session:
        assert outbox.claim_message(session, message_id, NOW) is None
        # ...until the sender's lease runs out (it died mid-call).
        assert outbox.claim_message(session, message_id, NOW + outbox.SENDING_LEASE) is not None


def test_retry_backoff_doubles_and_is_capped() -> None:
    delays = [outbox.retry_delay(n) for n in range(1, 14)]
    assert delays[:4] == [timedelta(seconds=s) for s in (5, 10, 20, 40)]
    assert max(delays) == outbox.LONGEST_RETRY
    assert delays == sorted(delays)


def test_a_retryable_failure_waits_then_a_permanent_one_stops(runtime: Runtime) -> None:
    message_id = add(runtime)
    with runtime.database.session() as session:
        message = outbox.claim_message(session, message_id, NOW)
        assert message is not None
        outbox.mark_failed_attempt(session, message, NOW, "503", retryable=True)
    with runtime.database.session() as session:
        assert outbox.SWEEPABLE.due_ids(session, NOW, 10) == []
        assert outbox.SWEEPABLE.due_ids(session, NOW + timedelta(seconds=5), 10) == [message_id]
        message = outbox.claim_message(session, message_id, NOW + timedelta(seconds=5))
        assert message is not None
        outbox.mark_failed_attempt(session, message, NOW, "400 bad request", retryable=False)
    with runtime.database.session() as session:
        message = session.get_one(OutboxMessage, message_id)
        assert (message.status, message.attempts, message.last_error) == (OutboxStatus.FAILED, 2, "400 bad request")
        assert outbox.backlog(session) == 0


def test_attempts_run_out(runtime: Runtime) -> None:
    message_id = add(runtime)
    moment = NOW
    for _ in range(outbox.MAX_ATTEMPTS):
        with runtime.database.session() as session:
            message = outbox.claim_message(session, message_id, moment)
            assert message is not None
            outbox.mark_failed_attempt(session, message, moment, "timeout", retryable=True)
        moment += outbox.LONGEST_RETRY
    with runtime.database.session() as session:
        assert session.get_one(OutboxMessage, message_id).status == OutboxStatus.FAILED
