"""Destructive admin actions — cancel a meeting, disable a workflow, cancel a run — wait twice.

First for the admin's confirmation (a button, or `/cop confirm <n>`), then for an undo window in which
`/cop undo <n>` keeps everything as it was. Only when the window has passed does a timer carry the
action out and announce it to the group: until then nobody else has seen a thing. The rows are the
state (``PlannedAction``), each change a conditional update, so a double click, a confirmation racing
an undo, or two workers firing the timer do the action at most once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.cop import calendar
from plugin.cop.calendar import CalendarRefused
from plugin.errors import KringError
from plugin.localized import duration, long_date
from plugin.platforms.base import OutboundPost
from plugin.storage import outbox, timers
from plugin.storage.audit import audit
from plugin.storage.locks import lock_community
from plugin.storage.models import Community, PlannedAction, Timer, WorkflowEnablement, WorkflowRun
from plugin.storage.numbers import typed_number
from plugin.storage.states import PlannedStatus, RunStatus, TimerKind
from plugin.texts import text
from plugin.workflows import enablement, meetings, runner

#: How long an asked action waits for its confirmation before it lapses (nothing happens).
CONFIRM_WITHIN = timedelta(minutes=10)
#: How long a confirmed action can still be undone before it is carried out and announced.
UNDO_WINDOW = timedelta(minutes=2)


class Refused(KringError):
    """The action cannot be asked for, confirmed or undone; ``key`` and ``values`` say why."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Change:
    """What an action will change: the values of its sentences, and what the audit log records."""

    values: dict[str, object]
    audit: dict[str, Any]


@dataclass(frozen=True)
class Kind:
    """One kind of destructive action: ``check`` says what it would change (or raises :class:`Refused`);
    ``apply`` makes the change. Its sentences are ``planned.what.<name>`` and ``<announcement>``."""

    name: str
    check: Callable[[Session, Community, str, datetime], Change]
    apply: Callable[[Session, Community, str, datetime], None]
    announcement: str


def _meeting(session: Session, community: Community, target: str, now: datetime) -> Change:
    try:
        meeting = calendar.meeting_number(session, community, target)
        meetings.still_ahead(meeting, now)
    except CalendarRefused as refused:
        raise Refused(refused.key, **refused.values) from refused
    day = long_date(meeting.starts_at.astimezone(ZoneInfo(community.timezone)).date(), community.language)
    return Change({"number": meeting.number, "date": day}, {"meeting": meeting.number})


def _cancel_meeting(session: Session, community: Community, target: str, now: datetime) -> None:
    meetings.cancel_meeting(session, calendar.meeting_number(session, community, target), now)


def _enabled(session: Session, community: Community, target: str, now: datetime) -> Change:
    found = enablement.find(session, community.id, target)
    if found is None or not found.enabled:
        raise Refused("disable.not_enabled", id=target)
    return Change({"id": target}, {"workflow": target})


def _disable(session: Session, community: Community, target: str, now: datetime) -> None:
    found = enablement.find(session, community.id, target)
    assert found is not None  # checked in this transaction
    enablement.disable(session, found)


def _run_under_way(session: Session, community: Community, target: str, now: datetime) -> Change:
    number = typed_number(target)
    run = session.get(WorkflowRun, number) if number is not None else None
    if run is None or run.community_id != community.id or run.status not in (RunStatus.RUNNING, RunStatus.WAITING):
        raise Refused("cancel.unknown", id=target)
    workflow = session.get_one(WorkflowEnablement, run.enablement_id).workflow_id
    return Change({"id": run.id, "workflow": workflow}, {"run": run.id})


def _cancel_run(session: Session, community: Community, target: str, now: datetime) -> None:
    runner.cancel(session, session.get_one(WorkflowRun, int(target)), now)


KINDS = {kind.name: kind for kind in (
    Kind("meeting.cancel", _meeting, _cancel_meeting, "meeting.cancelled"),
    Kind("disable", _enabled, _disable, "disable.done"),
    Kind("cancel", _run_under_way, _cancel_run, "cancel.done"),
)}


def describe(planned: PlannedAction, language: str) -> str:
    """What the action does, as a phrase: "cancelling meeting 3 (Tuesday 12 January 2027)"."""
    return text(f"planned.what.{planned.kind}", language, **planned.details["values"])


def confirmed(community: Community, planned: PlannedAction) -> str:
    """What the admin is told once they confirmed: when it happens, and how to undo it until then."""
    assert planned.due_at is not None
    return text("planned.confirmed", community.language, what=describe(planned, community.language),
                at=local_time(community, planned.due_at), ref=planned.id)


def undone(community: Community, planned: PlannedAction) -> str:
    return text("planned.undone", community.language, what=describe(planned, community.language))


def ask(session: Session, community: Community, kind: str, target: str, *, user_id: str, actor: str,
        now: datetime) -> PlannedAction:
    """Note that ``user_id`` asks for ``kind`` on ``target``; nothing changes until it is confirmed."""
    change = KINDS[kind].check(session, community, target, now)
    planned = PlannedAction(community_id=community.id, kind=kind, target=target, user_id=user_id, actor=actor,
                            asked_at=now, details={"values": change.values, "audit": change.audit})
    session.add(planned)
    session.flush()
    return planned


def _own(session: Session, community: Community, ref: str, user_id: str) -> PlannedAction:
    number = typed_number(ref)
    planned = session.get(PlannedAction, number) if number is not None else None
    if planned is None or planned.community_id != community.id:
        raise Refused("planned.unknown", ref=ref)
    if planned.user_id != user_id:
        raise Refused("planned.not_yours", ref=ref)
    return planned


def _moved(session: Session, planned: PlannedAction, source: PlannedStatus, target: PlannedStatus,
           **values: Any) -> bool:
    """Move ``planned`` from ``source`` to ``target``; False when someone else moved it first."""
    moved = session.execute(sa.update(PlannedAction).where(PlannedAction.id == planned.id,
                                                           PlannedAction.status == source)
                            .values(status=target, **values).execution_options(synchronize_session=False))
    session.refresh(planned)
    return bool(moved.rowcount == 1)  # type: ignore[attr-defined]


def local_time(community: Community, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(community.timezone)).strftime("%H:%M")


def lapsed(planned: PlannedAction, now: datetime) -> bool:
    """Whether an asked action can no longer be confirmed (nothing happens then)."""
    return now > planned.asked_at + CONFIRM_WITHIN


def confirm(session: Session, community: Community, ref: str, user_id: str, now: datetime) -> PlannedAction:
    """Confirm an asked action: it is carried out when the undo window has passed."""
    lock_community(session, community.id)
    planned = _own(session, community, ref, user_id)
    if planned.status == PlannedStatus.CONFIRMED and planned.due_at is not None:
        raise Refused("planned.confirmed_already", ref=ref, at=local_time(community, planned.due_at))
    if planned.status != PlannedStatus.ASKED:
        raise Refused("planned.over", ref=ref)
    if lapsed(planned, now):
        raise Refused("planned.expired", ref=ref, within=duration(CONFIRM_WITHIN, community.language))
    KINDS[planned.kind].check(session, community, planned.target, now)  # still possible?
    due = now + UNDO_WINDOW
    if not _moved(session, planned, PlannedStatus.ASKED, PlannedStatus.CONFIRMED, due_at=due):
        raise Refused("planned.over", ref=ref)
    timers.add_timer(session, key=f"planned:{planned.id}", community_id=community.id, kind=TimerKind.ACTION,
                     due_at=due, now=now, payload={"planned": planned.id})
    return planned


def undo(session: Session, community: Community, ref: str, user_id: str, now: datetime) -> PlannedAction:
    """Keep an asked or confirmed action from happening, as long as it has not been carried out."""
    lock_community(session, community.id)
    planned = _own(session, community, ref, user_id)
    source = planned.status
    if source not in (PlannedStatus.ASKED, PlannedStatus.CONFIRMED) or not _moved(
            session, planned, source, PlannedStatus.UNDONE):
        raise Refused("planned.over", ref=ref)
    timers.cancel_timers(session, community.id, Timer.key == f"planned:{planned.id}")
    return planned


def answer(session: Session, community: Community, ref: str, user_id: str, now: datetime, *, confirming: bool
           ) -> str:
    """Confirm or undo action ``ref`` for ``user_id`` (a button, a page's form); what to tell them."""
    try:
        if confirming:
            return confirmed(community, confirm(session, community, ref, user_id, now))
        return undone(community, undo(session, community, ref, user_id, now))
    except Refused as refused:
        return text(refused.key, community.language, **refused.values)


def carry_out(session: Session, timer: Timer, now: datetime) -> None:
    """The undo window of a confirmed action has passed: do it, record it, announce it to the group.
    An action no longer possible (the meeting began meanwhile, the run finished) is dropped."""
    planned = session.get(PlannedAction, int(timer.payload["planned"]))
    if planned is None or not _moved(session, planned, PlannedStatus.CONFIRMED, PlannedStatus.DONE):
        return
    community = session.get_one(Community, planned.community_id)
    kind = KINDS[planned.kind]
    try:
        kind.check(session, community, planned.target, now)
    except Refused:
        return
    kind.apply(session, community, planned.target, now)
    audit(session, actor=planned.actor, action=kind.name, now=now, community_id=community.id,
          **planned.details["audit"])
    post = OutboundPost(community.external_group_id,
                        text(kind.announcement, community.language, **planned.details["values"]))
    outbox.add_message(session, idempotency_key=f"planned{planned.id}:announce", platform=community.platform,
                       operation="post", payload=post.to_payload(), now=now)
