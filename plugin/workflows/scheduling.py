"""Trigger timers of an enabled workflow: its next scheduled moment, and its offsets from meetings."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.engine.model import Trigger, Workflow
from plugin.engine.schedule import next_cron, next_every, parse_every
from plugin.storage import timers
from plugin.storage.models import Community, Meeting, Timer, WorkflowEnablement
from plugin.storage.states import MeetingStatus, TimerKind


def next_scheduled(trigger: Trigger, community: Community, after: datetime) -> datetime:
    zone = ZoneInfo(community.timezone)
    if "cron" in trigger.options:
        return next_cron(trigger.options["cron"], after, zone)
    anchor = community.start_date or after.astimezone(zone).date()
    return next_every(parse_every(trigger.options["every"]), after, zone, anchor)


def schedule_next(session: Session, enablement: WorkflowEnablement, community: Community, index: int,
                  trigger: Trigger, after: datetime, now: datetime) -> None:
    due = next_scheduled(trigger, community, after)
    timers.add_timer(session, key=f"trigger:{enablement.id}:{index}:{due.isoformat()}", community_id=community.id,
                     kind=TimerKind.TRIGGER, due_at=due, now=now, enablement_id=enablement.id,
                     payload={"trigger": index})


def plan_triggers(session: Session, enablement: WorkflowEnablement, workflow: Workflow, community: Community,
                  now: datetime) -> None:
    """Replace the enablement's pending trigger timers by ones for its current version."""
    timers.cancel_timers(session, Timer.enablement_id == enablement.id, Timer.kind == TimerKind.TRIGGER,
                         Timer.due_at > now)
    meetings = list(session.scalars(sa.select(Meeting).where(
        Meeting.community_id == community.id, Meeting.status == MeetingStatus.PLANNED)))
    for index, trigger in enumerate(workflow.triggers):
        if trigger.type == "schedule":
            schedule_next(session, enablement, community, index, trigger, now, now)
    for meeting in meetings:
        plan_meeting_triggers(session, enablement, workflow, meeting, now)


def plan_meeting_triggers(session: Session, enablement: WorkflowEnablement, workflow: Workflow, meeting: Meeting,
                          now: datetime) -> None:
    """The enablement's before/after-meeting trigger timers for one meeting (planned again after a move)."""
    for index, trigger in enumerate(workflow.triggers):
        if trigger.type not in ("before_meeting", "after_meeting"):
            continue
        due = (meeting.starts_at - trigger.options["offset"] if trigger.type == "before_meeting"
               else meeting.ends_at + trigger.options["offset"])
        if due > now:
            timers.add_timer(
                session, key=f"trigger:{enablement.id}:{index}:meeting{meeting.id}:{due.isoformat()}",
                community_id=meeting.community_id, kind=TimerKind.TRIGGER, due_at=due, now=now,
                enablement_id=enablement.id, payload={"trigger": index, "meeting": meeting.id})
