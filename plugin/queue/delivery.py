"""Sending one outbox message: claim it, carry out its operation (a platform post; a digest by post,
e-mail or webhook), record the outcome.

The outbound call happens outside any transaction; the claim's lease keeps other workers off it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from plugin.errors import DeliveryError, PlatformError
from plugin.metrics import count
from plugin.platforms.base import ButtonPosts, OutboundPost
from plugin.runtime import Runtime
from plugin.storage import outbox
from plugin.storage.models import OutboxMessage, Poll, Thread

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


def _post(runtime: Runtime, payload: dict[str, Any], key: str, platform: str) -> dict[str, Any]:
    client = runtime.outbound(platform)
    post = _resolve_thread(runtime, OutboundPost.from_payload(payload))
    posted = client.post(post, key)
    if post.opens_thread:
        _record_thread(runtime, post, posted.thread_id or posted.post_id)
    if post.poll_id is not None:
        _record_poll_post(runtime, post.poll_id, posted.post_id)
    return {"post_id": posted.post_id, "thread_id": posted.thread_id}


def _close_poll(runtime: Runtime, payload: dict[str, Any], key: str, platform: str) -> dict[str, Any]:
    """Take a closed poll's buttons away, so that a late click is not offered at all."""
    client = runtime.connector(platform).feature(ButtonPosts)
    if client is None:
        runtime.outbound(platform)  # a clear error without credentials
        return {"skipped": "no buttons to take away"}
    with runtime.database.session() as session:
        post_id = session.scalar(sa.select(Poll.platform_post_id).where(Poll.id == payload["poll"]))
    if post_id is None:
        raise PlatformError(f"the post of poll {payload['poll']} is not delivered yet", retryable=True)
    client.close_buttons(post_id, payload["note"])
    return {"post_id": post_id}


def _digest(runtime: Runtime, payload: dict[str, Any], key: str, platform: str) -> dict[str, Any]:
    from plugin.digests.deliver import send_digest  # charts pull in matplotlib: only when a digest is sent

    return send_digest(runtime, payload, key)


#: What each outbox operation does.
SENDERS: dict[str, Callable[[Runtime, dict[str, Any], str, str], dict[str, Any]]] = {
    "post": _post, "close_poll": _close_poll, "digest": _digest}


def deliver(runtime: Runtime, message_id: int) -> None:
    with runtime.database.session() as session:
        message = outbox.claim_message(session, message_id, runtime.clock.now(), runtime.lease)
        if message is None:
            return
        key, platform, operation, payload = (message.idempotency_key, message.platform, message.operation,
                                             dict(message.payload))
    result: dict[str, Any] | None = None
    error: DeliveryError | None = None
    try:
        sender = SENDERS.get(operation)
        if sender is None:
            raise DeliveryError(f"unknown outbox operation {operation!r}")
        result = sender(runtime, payload, key, platform)
    except DeliveryError as exc:
        log.warning("outbox %s: %s", message_id, exc)
        error = exc
    with runtime.database.session() as session:
        message = session.get_one(OutboxMessage, message_id)
        if result is not None:
            outbox.mark_sent(session, message, runtime.clock.now(), result)
        elif error is not None:
            outbox.mark_failed_attempt(session, message, runtime.clock.now(), str(error), error.retryable)
    if error is not None:
        count(runtime.redis, "kring_delivery_failures_total")
    else:
        count(runtime.redis, "kring_deliveries_total")
