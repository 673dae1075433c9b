"""Trigger timers of an enabled workflow: its next scheduled moment, and its offsets from meetings."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.engine.model import Trigger, Workflow
from plugin.engine.triggers import TRIGGER_TYPES
from plugin.engine.triggers.base import MeetingRelative, Scheduled
from plugin.storage import timers
from plugin.storage.models import Community, Meeting, Timer, WorkflowEnablement
from plugin.storage.states import MeetingStatus, TimerKind


def next_scheduled(trigger: Trigger, community: Community, after: datetime) -> datetime:
    kind = TRIGGER_TYPES[trigger.type]
    assert isinstance(kind, Scheduled)
    zone = ZoneInfo(community.timezone)
    return kind.next_due(trigger.options, after, zone, community.start_date or after.astimezone(zone).date())


def schedule_next(session: Session, enablement: WorkflowEnablement, community: Community, index: int,
                  trigger: Trigger, after: datetime, now: datetime) -> None:
    due = next_scheduled(trigger, community, after)
    timers.add_timer(session, key=f"trigger:{enablement.id}:{index}:{due.isoformat()}", community_id=community.id,
                     kind=TimerKind.TRIGGER, due_at=due, now=now, enablement_id=enablement.id,
                     payload={"trigger": index})


def plan_triggers(session: Session, enablement: WorkflowEnablement, workflow: Workflow, community: Community,
                  now: datetime) -> None:
    """Replace the enablement's pending trigger timers by ones for its current version."""
    timers.cancel_timers(session, enablement.community_id, Timer.enablement_id == enablement.id,
                         Timer.kind == TimerKind.TRIGGER, Timer.due_at > now)
    meetings = list(session.scalars(sa.select(Meeting).where(
        Meeting.community_id == community.id, Meeting.status == MeetingStatus.PLANNED)))
    for index, trigger in enumerate(workflow.triggers):
        if isinstance(TRIGGER_TYPES[trigger.type], Scheduled):
            schedule_next(session, enablement, community, index, trigger, now, now)
    for meeting in meetings:
        plan_meeting_triggers(session, enablement, workflow, meeting, now)


def plan_meeting_triggers(session: Session, enablement: WorkflowEnablement, workflow: Workflow, meeting: Meeting,
                          now: datetime) -> None:
    """The enablement's before/after-meeting trigger timers for one meeting (planned again after a move).

    A moment already past for a meeting still ahead — the workflow was enabled late — is caught up at
    once, unless that trigger had its moment for this meeting before (a move or a new version plans
    again: nothing is done twice)."""
    for index, trigger in enumerate(workflow.triggers):
        kind = TRIGGER_TYPES[trigger.type]
        if not isinstance(kind, MeetingRelative):
            continue
        due = kind.due(trigger.options, meeting.starts_at, meeting.ends_at)
        prefix = f"trigger:{enablement.id}:{index}:meeting{meeting.id}:"
        if due <= now:
            if meeting.starts_at <= now or session.scalar(
                    sa.select(Timer.id).where(Timer.key.startswith(prefix, autoescape=True)).limit(1)) is not None:
                continue
            due = now
        timers.add_timer(session, key=f"{prefix}{due.isoformat()}", community_id=meeting.community_id,
                         kind=TimerKind.TRIGGER, due_at=due, now=now, enablement_id=enablement.id,
                         payload={"trigger": index, "meeting": meeting.id})
