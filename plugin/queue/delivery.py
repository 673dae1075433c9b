"""Sending one outbox message: claim it, carry out its operation (a platform post; a digest by post,
e-mail or webhook), record the outcome.

The outbound call happens outside any transaction; the claim's lease keeps other workers off it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from plugin.errors import DeliveryError, PlatformError
from plugin.metrics import count
from plugin.platforms.base import ButtonPosts, OutboundPost, SentPosts
from plugin.queue.admin_notices import Notice, tell_admins
from plugin.queue.unit_of_work import unit_of_work
from plugin.runtime import Runtime
from plugin.storage import outbox
from plugin.storage.models import OutboxMessage, Poll, Thread
from plugin.storage.states import OutboxStatus

log = logging.getLogger(__name__)


class ThreadNotReady(PlatformError):
    """The thread this message replies in has not been created on the platform yet."""


def _resolve_thread(runtime: Runtime, post: OutboundPost) -> OutboundPost:
    if not post.thread_key or post.thread_id:
        return post
    with runtime.database.session() as session:
        thread = session.scalar(sa.select(Thread).where(Thread.community_id == post.community_id,
                                                        Thread.key == post.thread_key))
        if thread is None:
            log.warning("no thread %r; posting in the group instead", post.thread_key)
            return replace(post, thread_key=None)
        if thread.platform_thread_id is None:
            raise ThreadNotReady(f"thread {post.thread_key!r} is not created yet", retryable=True)
        return replace(post, thread_id=thread.platform_thread_id)


def _record_thread(runtime: Runtime, post: OutboundPost, platform_thread_id: str) -> None:
    with runtime.database.session() as session:
        session.execute(sa.update(Thread).where(Thread.community_id == post.community_id,
                                                Thread.key == post.opens_thread)
                        .values(platform_thread_id=platform_thread_id))


def _record_poll_post(runtime: Runtime, poll_id: int, post_id: str) -> None:
    with runtime.database.session() as session:
        session.execute(sa.update(Poll).where(Poll.id == poll_id).values(platform_post_id=post_id))


@dataclass(frozen=True)
class Delivery:
    """One attempt at an outbox message."""

    key: str
    platform: str
    payload: dict[str, Any]
    #: 1 for the first attempt; a later one may follow an attempt that reached the platform unrecorded
    #: (its worker died, or the answer was lost).
    attempt: int


def _post(runtime: Runtime, delivery: Delivery) -> dict[str, Any]:
    """Send a post; a later attempt first asks the platform (where it can tell) whether an earlier one
    made the post already, so that a worker killed mid-call leaves one post, not two."""
    client = runtime.outbound(delivery.platform)
    post = _resolve_thread(runtime, OutboundPost.from_payload(delivery.payload))
    finder = runtime.connector(delivery.platform).feature(SentPosts) if delivery.attempt > 1 else None
    posted = (finder.find_sent(post, delivery.key) if finder is not None else None) or client.post(post, delivery.key)
    if posted.held is not None:  # held for the platform's staff: sent, not published yet
        log.warning("outbox %s: held for approval on %s (%s)", delivery.key, delivery.platform, posted.held)
        return {"held_for_approval": posted.held}
    if post.opens_thread:
        _record_thread(runtime, post, posted.thread_id or posted.post_id)
    if post.poll_id is not None:
        _record_poll_post(runtime, post.poll_id, posted.post_id)
    return {"post_id": posted.post_id, "thread_id": posted.thread_id}


def _close_poll(runtime: Runtime, delivery: Delivery) -> dict[str, Any]:
    """Take a closed poll's buttons away, so that a late click is not offered at all."""
    payload = delivery.payload
    client = runtime.connector(delivery.platform).feature(ButtonPosts)
    if client is None:
        runtime.outbound(delivery.platform)  # a clear error without credentials
        return {"skipped": "no buttons to take away"}
    with runtime.database.session() as session:
        post_id = session.scalar(sa.select(Poll.platform_post_id).where(Poll.id == payload["poll"]))
    if post_id is None:
        raise PlatformError(f"the post of poll {payload['poll']} is not delivered yet", retryable=True)
    client.close_buttons(post_id, payload["note"])
    return {"post_id": post_id}


def _digest(runtime: Runtime, delivery: Delivery) -> dict[str, Any]:
    from plugin.digests.deliver import send_digest  # the digest's modules load when a digest is sent

    return send_digest(runtime, delivery.payload, delivery.key)


#: What each outbox operation does.
SENDERS: dict[str, Callable[[Runtime, Delivery], dict[str, Any]]] = {
    "post": _post, "close_poll": _close_poll, "digest": _digest}


def deliver(runtime: Runtime, message_id: int) -> None:
    with runtime.database.session() as session:
        message = outbox.claim_message(session, message_id, runtime.clock.now(), runtime.lease)
        if message is None:
            return
        operation = message.operation
        delivery = Delivery(message.idempotency_key, message.platform, dict(message.payload), message.attempts)
    result: dict[str, Any] | None = None
    error: DeliveryError | None = None
    try:
        sender = SENDERS.get(operation)
        if sender is None:
            raise DeliveryError(f"unknown outbox operation {operation!r}")
        result = sender(runtime, delivery)
    except DeliveryError as exc:
        log.warning("outbox %s: %s", message_id, exc)
        error = exc
    with unit_of_work(runtime) as session:  # hands off the notices to the admins
        message = session.get_one(OutboxMessage, message_id)
        if result is not None:
            outbox.mark_sent(session, message, runtime.clock.now(), result)
            if "held_for_approval" in result:
                tell_admins(session, message, Notice.HELD, runtime.clock.now(), held=result["held_for_approval"])
        elif error is not None:
            outbox.mark_failed_attempt(session, message, runtime.clock.now(), str(error), error.retryable,
                                       error.retry_after)
            if message.status == OutboxStatus.FAILED:
                log.error("outbox %s: given up after %d attempt(s): %s", message_id, message.attempts, error)
                tell_admins(session, message, Notice.GIVEN_UP, runtime.clock.now(), attempts=message.attempts,
                            error=str(error)[:300])
    if error is not None:
        count(runtime.redis, "kring_delivery_failures_total")
    else:
        count(runtime.redis, "kring_deliveries_total")
