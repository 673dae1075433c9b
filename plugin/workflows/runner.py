"""Advancing one run: interpret until it waits or ends, then record waits, timers and events."""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.engine.interpreter import Finished, RunState, WorkflowFailed
from plugin.engine.steps.base import Wake
from plugin.engine.steps.call import RUN_DONE_EVENT
from plugin.storage import timers
from plugin.storage.communities import members_with_role
from plugin.storage.models import Community, RunWait, Timer, WorkflowRun
from plugin.storage.states import RUN_TRANSITIONS, MemberRole, RunStatus, TimerKind, checked_transition
from plugin.texts import text
from plugin.workflows import events
from plugin.workflows.catalog import PinnedWorkflowBroken, pinned_interpreter
from plugin.workflows.host import DatabaseHost

log = logging.getLogger(__name__)


def _clear_waits(session: Session, run: WorkflowRun) -> None:
    session.execute(sa.delete(RunWait).where(RunWait.run_id == run.id))
    timers.cancel_timers(session, run.community_id, Timer.run_id == run.id, Timer.kind == TimerKind.WAKE)


def _set_status(run: WorkflowRun, status: RunStatus) -> None:
    if run.status != status:
        run.status = checked_transition(run.status, status, RUN_TRANSITIONS)


def advance(session: Session, run: WorkflowRun, wake: Wake | None, now: datetime, key_prefix: str) -> None:
    """Move ``run`` forward from where it stands; every effect is a row in this transaction."""
    community = session.get_one(Community, run.community_id)
    state = RunState.from_json(run.state)
    waited = state.waits > 0  # else it has no waits and no wake timers to clear
    host = DatabaseHost(session, community, run, now, key_prefix)
    _set_status(run, RunStatus.RUNNING)
    try:
        interpreter = pinned_interpreter(session, run.source_id)
        outcome = interpreter.advance(state, host, community.language, f"r{run.id}", wake)
    except (WorkflowFailed, PinnedWorkflowBroken) as exc:
        fail(session, run, community, str(exc), now, key_prefix)
        return
    run.state = state.to_json()
    if waited:
        _clear_waits(session, run)
    for emitted in host.emitted:
        events.emit(session, community, emitted.name, emitted.key, emitted.occurrence, emitted.data, now)
    if isinstance(outcome, Finished):
        _set_status(run, RunStatus.DONE)
        run.finished_at = now
        events.emit(session, community, RUN_DONE_EVENT, str(run.id), f"run{run.id}", {"run": run.id}, now)
        return
    _set_status(run, RunStatus.WAITING)
    for event in outcome.wait.events:
        session.add(RunWait(run_id=run.id, community_id=run.community_id, event=event, token=outcome.token))
    if outcome.wait.until is not None:
        timers.add_timer(session, key=events.wait_key(run.id, outcome.token), community_id=run.community_id,
                         kind=TimerKind.WAKE, due_at=max(outcome.wait.until, now), now=now, run_id=run.id,
                         payload={"token": outcome.token, "reason": "timer"})


def fail(session: Session, run: WorkflowRun, community: Community, error: str, now: datetime,
         key_prefix: str) -> None:
    """Stop a run that cannot go on, and tell the community's admins (privately: the error may name
    server files and template internals the members need not see; `/cop runs` shows it to admins)."""
    log.warning("run %s failed: %s", run.id, error)
    _set_status(run, RunStatus.FAILED)
    run.error = error[:2000]
    run.finished_at = now
    _clear_waits(session, run)
    host = DatabaseHost(session, community, run, now, key_prefix + ":failed")
    workflow = run.inputs.get("workflow") or f"#{run.enablement_id}"
    notice = text("run.failed", community.language, workflow=workflow, run=run.id)
    admins = members_with_role(session, community.id, MemberRole.ADMIN)
    for admin in admins:
        host.post(notice, to_member=admin.id)
    if not admins:  # nobody to tell privately: the group learns that it stopped, not why
        host.post(notice)
    events.emit(session, community, RUN_DONE_EVENT, str(run.id), f"run{run.id}", {"run": run.id}, now)


def cancel(session: Session, run: WorkflowRun, now: datetime) -> None:
    _set_status(run, RunStatus.CANCELLED)
    run.finished_at = now
    _clear_waits(session, run)
