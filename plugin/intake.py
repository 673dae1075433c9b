"""Taking in a verified event: the last step of every inbound path (HTTP endpoints and listeners).

A command is answered inside the request where the platform shows the answer from the response;
clicks and form submissions are carried out inside the request (the member waits for the result).
Everything else is recorded once per delivery id and handed to the worker; a redelivery is
recorded once and does nothing more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import redis
from sqlalchemy.orm import Session

from plugin.commands import buttons
from plugin.commands.registry import answer, context_for
from plugin.platforms.events import ButtonClicked, CommandInvoked, FormSubmitted, InboundEvent
from plugin.platforms.inbound import Outcome, Received
from plugin.queue import rate_limit
from plugin.queue.handoff import WorkItem, WorkKind, hand_off
from plugin.queue.unit_of_work import unit_of_work
from plugin.runtime import Runtime
from plugin.storage import inbound
from plugin.texts import text

log = logging.getLogger(__name__)


def record(session: Session, runtime: Runtime, event: InboundEvent, delivery_id: str, done: bool = False
           ) -> inbound.Recorded:
    return inbound.record_event(session, platform=event.platform, delivery_id=delivery_id, kind=event.KIND,
                                payload=event.to_payload(), now=runtime.clock.now(), done=done)


def hand_off_event(runtime: Runtime, recorded: inbound.Recorded) -> None:
    """Queue a newly recorded event; if Redis is down the sweeper queues it later, nothing is lost."""
    if not recorded.created:
        return
    try:
        hand_off(runtime.queue, WorkItem(WorkKind.INBOUND_EVENT, recorded.event_id))
    except redis.RedisError as exc:
        log.warning("event %s recorded; queue unavailable (%s), the sweeper will pick it up",
                    recorded.event_id, exc)


def _recorded(runtime: Runtime, received: Received) -> Outcome:
    assert received.event is not None
    done = received.done
    with runtime.database.session() as session:
        recorded = record(session, runtime, received.event, received.delivery_id, done=done)
    if not done:
        hand_off_event(runtime, recorded)
    return Outcome(runtime.config.language, recorded=recorded.created)


def _command(runtime: Runtime, received: Received) -> Outcome:
    invocation = received.event
    assert isinstance(invocation, CommandInvoked)
    if not rate_limit.allowed(runtime.redis, f"{invocation.platform}:{invocation.user_id}",
                              runtime.config.commands_per_minute, runtime.clock.now().timestamp()):
        log.warning("%s user %s: too many commands this minute; refused", invocation.platform, invocation.user_id)
        return Outcome(runtime.config.language, text=text("command.too_many", runtime.config.language,
                                                          limit=runtime.config.commands_per_minute), refused=True)
    if invocation.answer_by_post:
        return _recorded(runtime, received)
    with unit_of_work(runtime) as session:
        ctx = context_for(session, invocation, runtime)
        reply = answer(ctx)
        recorded = record(session, runtime, invocation, received.delivery_id, done=not reply.deferred)
    if reply.deferred:
        hand_off_event(runtime, recorded)
    return Outcome(ctx.language, text=reply.text, in_channel=reply.in_channel, form=reply.form,
                   buttons=reply.buttons)


def _click(runtime: Runtime, received: Received) -> Outcome:
    assert isinstance(received.event, ButtonClicked)
    with unit_of_work(runtime) as session:
        return buttons.click(session, received.event, runtime.clock.now(), runtime.config.language)


def _submit(runtime: Runtime, received: Received) -> Outcome:
    assert isinstance(received.event, FormSubmitted)
    with unit_of_work(runtime) as session:
        return buttons.submit(session, received.event, runtime.clock.now(), runtime.config.language)


_TAKERS: dict[type[Any], Callable[[Runtime, Received], Outcome]] = {
    CommandInvoked: _command, ButtonClicked: _click, FormSubmitted: _submit}


def take(runtime: Runtime, received: Received) -> Outcome:
    """Do what ``received.event`` needs now; what the connector puts into its answer."""
    return _TAKERS.get(type(received.event), _recorded)(runtime, received)
