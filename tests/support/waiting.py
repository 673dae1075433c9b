"""Waiting for something another process or thread does, with a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import redis
import requests
import sqlalchemy as sa
from rq import Queue

from plugin.storage.models import InboundEvent, OutboxMessage, Timer
from plugin.storage.states import EventStatus, OutboxStatus, TimerStatus


def wait_for(condition: Callable[[], object], what: str, seconds: float = 30) -> None:
    """Poll ``condition`` until it holds; a refused HTTP connection counts as not yet."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def wait_until_idle(env: dict[str, str], settle_seconds: float, seconds: float = 60) -> None:
    """Wait until Kring's processes have provably nothing left to do, then assert "nothing more happened".

    Idle means no unsent or sending post, no inbound event still open, no timer that is due (a job
    at work holds one of these rows) and, with ``KRING_REDIS_URL`` in ``env`` (the embedded Redis is
    the processes' own), no queued job; and still so after ``settle_seconds``. Pass at least a
    lease and a sweep, so that whatever a killed worker held has come back and been done (or not).
    """
    engine = sa.create_engine(env["KRING_DATABASE_URL"])
    connection = redis.Redis.from_url(env["KRING_REDIS_URL"]) if "KRING_REDIS_URL" in env else None
    queue = Queue(env["KRING_QUEUE_NAME"], connection=connection) if connection is not None else None

    busy: list[str] = []

    def idle() -> bool:
        with engine.connect() as db:
            counts = db.execute(sa.select(
                sa.select(sa.func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])).scalar_subquery(),
                sa.select(sa.func.count()).select_from(InboundEvent).where(
                    InboundEvent.status.in_([EventStatus.RECEIVED, EventStatus.PROCESSING])).scalar_subquery(),
                sa.select(sa.func.count()).select_from(Timer).where(
                    Timer.status == TimerStatus.PENDING, Timer.due_at <= datetime.now(UTC)).scalar_subquery(),
            )).one()
        queued = queue.count if queue is not None else 0
        busy[:] = [f"{n} {what}" for n, what in zip((*counts, queued), (
            "unsent posts", "open inbound events", "due timers", "queued jobs"), strict=True) if n]
        return not busy

    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                wait_for(idle, "Kring to have nothing left to do", max(deadline - time.monotonic(), 0.1))
            except AssertionError as exc:
                raise AssertionError(f"{exc}; still {', '.join(busy)}") from None
            time.sleep(settle_seconds)
            if idle():
                return
    finally:
        engine.dispose()
        if connection is not None:
            connection.close()
