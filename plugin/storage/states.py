"""Record states, stored as exactly these string values, and their allowed transitions."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

State = TypeVar("State", bound=StrEnum)


class EventStatus(StrEnum):
    """Lifecycle of an inbound event: received → processing → done | failed."""

    RECEIVED = "received"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"


class OutboxStatus(StrEnum):
    """Lifecycle of an outbound call: pending → sending → sent | failed (pending again on retry)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


#: An outbox message in these states is the worker's backlog: not sent yet, and not given up.
OUTBOX_BACKLOG = (OutboxStatus.PENDING, OutboxStatus.SENDING)


class Openness(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class MemberRole(StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"
    ADMIN = "admin"
    INITIATOR = "initiator"


class Orientation(StrEnum):
    PRACTICE = "practice"
    THEORY = "theory"


EVENT_TRANSITIONS: dict[EventStatus, frozenset[EventStatus]] = {
    EventStatus.RECEIVED: frozenset({EventStatus.PROCESSING}),
    EventStatus.PROCESSING: frozenset({EventStatus.DONE, EventStatus.FAILED, EventStatus.PROCESSING}),
    EventStatus.DONE: frozenset(),
    EventStatus.FAILED: frozenset({EventStatus.PROCESSING}),
}

OUTBOX_TRANSITIONS: dict[OutboxStatus, frozenset[OutboxStatus]] = {
    OutboxStatus.PENDING: frozenset({OutboxStatus.SENDING}),
    OutboxStatus.SENDING: frozenset({OutboxStatus.SENT, OutboxStatus.PENDING, OutboxStatus.FAILED,
                                     OutboxStatus.SENDING}),
    OutboxStatus.SENT: frozenset(),
    OutboxStatus.FAILED: frozenset({OutboxStatus.PENDING}),
}


def checked_transition(current: State, target: State, allowed: dict[State, frozenset[State]]) -> State:
    """Return ``target`` when ``current`` may move to it; raise ValueError otherwise."""
    if target not in allowed[current]:
        raise ValueError(f"a {type(current).__name__} cannot go from {current} to {target}")
    return target


class RunStatus(StrEnum):
    """Lifecycle of a workflow run: running ⇄ waiting → done | failed | cancelled."""

    RUNNING = "running"
    WAITING = "waiting"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TimerKind(StrEnum):
    WAKE = "wake"  # wake a waiting run (its deadline, or an event it waits for)
    TRIGGER = "trigger"  # start a run of an enabled workflow (schedule or meeting offset)
    MEETING = "meeting"  # a meeting starts or ends: emit the event
    POLL_SYNC = "poll_sync"  # read a native (Discourse) poll's results back when it closes
    ACTION = "action"  # a confirmed admin action whose undo window has passed: carry it out


class TimerStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class PlannedStatus(StrEnum):
    """A destructive admin action: asked → confirmed → done, or undone within its window."""

    ASKED = "asked"
    CONFIRMED = "confirmed"
    DONE = "done"
    UNDONE = "undone"


class PollStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


RUN_TRANSITIONS: dict[RunStatus, frozenset[RunStatus]] = {
    RunStatus.RUNNING: frozenset({RunStatus.WAITING, RunStatus.DONE, RunStatus.FAILED, RunStatus.CANCELLED}),
    RunStatus.WAITING: frozenset({RunStatus.RUNNING, RunStatus.CANCELLED, RunStatus.FAILED}),
    RunStatus.DONE: frozenset(),
    RunStatus.FAILED: frozenset(),
    RunStatus.CANCELLED: frozenset(),
}
