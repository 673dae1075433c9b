"""Record a verified delivery once and hand it to the worker: the last step of every inbound path
(HTTP endpoints and the Mattermost listener alike)."""

from __future__ import annotations

import logging
from typing import Any

import redis
from sqlalchemy.orm import Session

from plugin.queue.handoff import WorkItem, WorkKind, hand_off
from plugin.runtime import Runtime
from plugin.storage import inbound
from plugin.storage.states import Platform

log = logging.getLogger(__name__)


def record(session: Session, runtime: Runtime, *, platform: Platform, delivery_id: str, kind: str,
           payload: dict[str, Any], done: bool = False) -> inbound.Recorded:
    return inbound.record_event(session, platform=platform, delivery_id=delivery_id, kind=kind,
                                payload=payload, now=runtime.clock.now(), done=done)


def hand_off_event(runtime: Runtime, recorded: inbound.Recorded) -> None:
    """Queue a newly recorded event; if Redis is down the sweeper queues it later, nothing is lost."""
    if not recorded.created:
        return
    try:
        hand_off(runtime.queue, WorkItem(WorkKind.INBOUND_EVENT, recorded.event_id))
    except redis.RedisError as exc:
        log.warning("event %s recorded; queue unavailable (%s), the sweeper will pick it up",
                    recorded.event_id, exc)


def accept(runtime: Runtime, *, platform: Platform, delivery_id: str, kind: str, payload: dict[str, Any]
           ) -> inbound.Recorded:
    """Record and hand off in one go; a redelivery (same delivery id) is recorded once."""
    with runtime.database.session() as session:
        recorded = record(session, runtime, platform=platform, delivery_id=delivery_id, kind=kind, payload=payload)
    hand_off_event(runtime, recorded)
    return recorded
