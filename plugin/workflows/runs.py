"""Creating runs (every run starts by a wake timer due at once, so starting is just two rows), and
listing the latest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.engine.templates import TemplateFailed
from plugin.errors import KringError
from plugin.storage import timers
from plugin.storage.models import WorkflowEnablement, WorkflowRun
from plugin.storage.states import RunStatus, TimerKind


class WorkflowNotEnabled(KringError):
    pass


def start_run(session: Session, enablement: WorkflowEnablement, *, trigger: str, inputs: dict[str, Any],
              now: datetime, parent_run_id: int | None = None, start_timer: bool = True) -> WorkflowRun:
    """A new run; its first step is taken by the worker through a wake timer due now, unless the caller
    (already in the worker) takes it itself (``start_timer=False``)."""
    if enablement.source_id is None:
        raise WorkflowNotEnabled(f"workflow {enablement.workflow_id} has no pinned version; enable it again")
    run = WorkflowRun(community_id=enablement.community_id, enablement_id=enablement.id,
                      source_id=enablement.source_id, parent_run_id=parent_run_id, trigger=trigger[:200],
                      status=RunStatus.RUNNING, state={},
                      inputs={"params": dict(enablement.params), **inputs}, started_at=now)
    session.add(run)
    session.flush()
    if not start_timer:
        return run
    timers.add_timer(session, key=f"run{run.id}:start", community_id=run.community_id, kind=TimerKind.WAKE,
                     due_at=now, now=now, run_id=run.id, payload={"token": 0})
    return run


def start_child(session: Session, parent: WorkflowRun, workflow_id: str, params: dict[str, Any],
                now: datetime) -> WorkflowRun:
    enablement = session.scalar(sa.select(WorkflowEnablement).where(
        WorkflowEnablement.community_id == parent.community_id, WorkflowEnablement.workflow_id == workflow_id,
        WorkflowEnablement.enabled.is_(True)))
    if enablement is None:
        raise TemplateFailed(f"call: workflow {workflow_id!r} is not enabled in this community")
    child = start_run(session, enablement, trigger=f"call from run {parent.id}", inputs={"trigger": {"type": "call"}},
                          now=now,
                      parent_run_id=parent.id)
    child.inputs = {**child.inputs, "params": {**enablement.params, **params}}
    return child


def recent_runs(session: Session, community_id: int | None, limit: int,
                failed_only: bool = False) -> list[tuple[WorkflowRun, str]]:
    """The latest runs, newest first, each with its workflow's id (of one community, or of all)."""
    query = sa.select(WorkflowRun, WorkflowEnablement.workflow_id).join(WorkflowEnablement)
    if community_id is not None:
        query = query.where(WorkflowRun.community_id == community_id)
    if failed_only:
        query = query.where(WorkflowRun.status == RunStatus.FAILED)
    return [(run, workflow_id) for run, workflow_id in session.execute(query.order_by(WorkflowRun.id.desc())
                                                                         .limit(limit))]
