"""Record a verified delivery once and hand it to the worker: the shared last step of every endpoint."""

from __future__ import annotations

import json
import logging
from typing import Any

import redis
from flask import request
from sqlalchemy.orm import Session

from plugin.queue.handoff import WorkItem, WorkKind, hand_off
from plugin.runtime import Runtime
from plugin.storage import inbound
from plugin.storage.states import Platform
from webhooks.errors import BadPayload

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


def json_body() -> dict[str, Any]:
    """The request body as a JSON object, or a 400 saying what is wrong with it."""
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadPayload(f"The body is not valid JSON: {str(exc)[:120]}") from exc
    if not isinstance(body, dict):
        raise BadPayload("The body must be a JSON object.")
    return body
