"""Reading a native (Discourse) poll's tallies back when it closes, into Kring's own poll record.

The platform call happens before the transaction; the timer's claim, the tallies and the event that
lets the waiting poll step close commit together.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from plugin.engine.steps.poll import VOTE_EVENT
from plugin.errors import PlatformError
from plugin.platforms.base import NativePoll, NativePolls, NativeTally
from plugin.queue.unit_of_work import unit_of_work
from plugin.runtime import Runtime
from plugin.storage import timers
from plugin.storage.locks import lock_community_of_timer
from plugin.storage.models import Community, Poll, Timer
from plugin.workflows import events


def _native(poll: Poll) -> NativePoll:
    return NativePoll(poll.id, tuple(poll.options), poll.multiple, poll.closes_at.isoformat())


def _store(session: Session, poll: Poll, tally: NativeTally, now: datetime) -> None:
    poll.native_counts = list(tally.counts)
    poll.native_voters = tally.voters
    poll.native_synced_at = now
    community = session.get_one(Community, poll.community_id)
    events.emit(session, community, VOTE_EVENT, poll.key, f"native{poll.id}", {"poll": poll.id}, now)


def sync_native_poll(runtime: Runtime, timer_id: int) -> None:
    with runtime.database.session() as session:
        timer = session.get_one(Timer, timer_id)
        poll = session.get_one(Poll, timer.payload["poll"])
        platform = session.get_one(Community, poll.community_id).platform
        post_id, native = poll.platform_post_id, _native(poll)
    client = runtime.connector(platform).feature(NativePolls)
    if client is None:
        raise PlatformError(f"{platform} has no native polls to read back", retryable=False)
    if post_id is None:
        raise PlatformError(f"the post of poll {native.poll_id} is not delivered yet", retryable=True)
    tally = client.poll_tally(post_id, native)
    with unit_of_work(runtime) as session:
        lock_community_of_timer(session, timer_id)  # the one lock order: the community before its timers
        if timers.claim_timer(session, timer_id) is not None:
            _store(session, session.get_one(Poll, native.poll_id), tally, runtime.clock.now())
