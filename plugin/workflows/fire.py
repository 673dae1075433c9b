"""What a due timer does: wake a run, start a triggered run, announce a meeting's start or end, or carry
out a confirmed admin action whose undo window has passed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from plugin.cop.views import meeting_view
from plugin.engine.steps.base import Wake
from plugin.engine.triggers import TRIGGER_TYPES
from plugin.engine.triggers.base import Scheduled
from plugin.engine.triggers.event import EventTrigger
from plugin.storage import timers
from plugin.storage.locks import lock_community_of_timer
from plugin.storage.models import Community, Meeting, Timer, WorkflowEnablement, WorkflowRun
from plugin.storage.states import MeetingStatus, RunStatus, TimerKind
from plugin.workflows import events, planned, runner, runs
from plugin.workflows.catalog import pinned_interpreter
from plugin.workflows.scheduling import schedule_next


def fire(session: Session, timer_id: int, now: datetime) -> bool:
    """Claim and carry out one timer of a kind fired in the database alone (not a native poll's read-back,
    which calls its platform first) in this transaction, under its community's lock, taken before the
    timer's (see :mod:`plugin.storage.locks`); False when there was nothing to do here."""
    lock_community_of_timer(session, timer_id)
    timer = timers.claim_timer(session, timer_id, kinds=tuple(_FIRED_HERE))
    if timer is None:
        return False
    _FIRED_HERE[timer.kind](session, timer, now)
    return True


def _wake(session: Session, timer: Timer, now: datetime) -> None:
    run = session.get(WorkflowRun, timer.run_id) if timer.run_id else None
    if run is None or run.status not in (RunStatus.RUNNING, RunStatus.WAITING):
        return
    token = int(timer.payload.get("token", 0))
    if token != int(run.state.get("waits", 0)):
        return  # meant for a wait the run has left already
    wake = None if token == 0 else Wake(reason=timer.payload.get("reason", "timer"),
                                        event=timer.payload.get("event"), data=timer.payload.get("data", {}))
    if wake is not None and "meeting" in wake.data:
        # The meeting an event is about becomes the run's `meeting` from here on.
        run.inputs = {**run.inputs, "meeting": wake.data["meeting"]}
    runner.advance(session, run, wake, now, key_prefix=f"timer{timer.id}")


def _trigger(session: Session, timer: Timer, now: datetime) -> None:
    enablement = session.get(WorkflowEnablement, timer.enablement_id) if timer.enablement_id else None
    if enablement is None or not enablement.enabled or enablement.source_id is None:
        return
    community = session.get_one(Community, enablement.community_id)
    workflow = pinned_interpreter(session, enablement.source_id).workflow
    inputs: dict[str, object] = {"workflow": workflow.id}
    if "event" in timer.payload:
        trigger_name = f"event {timer.payload['event']}"
        inputs.update(EventTrigger().run_inputs({"name": timer.payload["event"]}, timer.payload.get("data", {})))
    else:
        index = int(timer.payload["trigger"])
        if index >= len(workflow.triggers):
            return  # the enabled version changed; its own timers were planned
        trigger = workflow.triggers[index]
        trigger_name = trigger.type
        kind = TRIGGER_TYPES[trigger.type]
        inputs.update(kind.run_inputs(trigger.options, {}))
        if isinstance(kind, Scheduled):
            schedule_next(session, enablement, community, index, trigger, timer.due_at, now)
        meeting_id = timer.payload.get("meeting")
        if meeting_id is not None:
            meeting = session.get(Meeting, meeting_id)
            if meeting is None or meeting.status != MeetingStatus.PLANNED:
                return
            inputs["meeting"] = meeting_view(meeting, _zone(community))
    # In the worker already: the run's first steps are taken in this transaction, not by another timer.
    run = runs.start_run(session, enablement, trigger=trigger_name, inputs=inputs, now=now, start_timer=False)
    runner.advance(session, run, None, now, key_prefix=f"timer{timer.id}")


def _meeting(session: Session, timer: Timer, now: datetime) -> None:
    meeting = session.get(Meeting, timer.payload["meeting"])
    if meeting is None or meeting.status != MeetingStatus.PLANNED:
        return
    community = session.get_one(Community, meeting.community_id)
    view = meeting_view(meeting, _zone(community))
    events.emit(session, community, timer.payload["event"], None, f"meeting{meeting.id}",
                {"meeting": view}, now)


def _zone(community: Community) -> ZoneInfo:
    return ZoneInfo(community.timezone)


#: What each timer fired in the database alone does (a native poll's read-back calls its platform first).
_FIRED_HERE: dict[TimerKind, Callable[[Session, Timer, datetime], None]] = {
    TimerKind.WAKE: _wake, TimerKind.TRIGGER: _trigger, TimerKind.MEETING: _meeting,
    TimerKind.ACTION: planned.carry_out}
