"""Counting votes. An anonymous poll's ballots are keyed by a hash with the poll's own random salt,
which lives only while the poll is open: no output can say who voted what, and once the poll has
closed (salt and ballots destroyed, counts kept) nobody can, not even with the database and
KRING_SECRET_KEY."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, time

from plugin.engine.host import PollResult
from plugin.storage.models import Poll, Vote


def new_salt() -> str:
    return secrets.token_hex(32)


def voter_key(poll: Poll, member_id: int) -> str:
    """The stored voter: the member id for a named poll, a hash with the open poll's salt for an
    anonymous one."""
    if not poll.anonymous:
        return str(member_id)
    if poll.salt is None:
        raise ValueError(f"anonymous poll {poll.id} has no salt: it is closed")
    digest = hmac.new(bytes.fromhex(poll.salt), f"member:{member_id}".encode(), hashlib.sha256)
    return "anon-" + digest.hexdigest()[:40]


def ballot_day(poll: Poll) -> datetime:
    """When an anonymous ballot is said to be cast: the poll's opening day, for every ballot."""
    return datetime.combine(poll.opened_at.date(), time(), tzinfo=UTC)


def stored_result(poll: Poll) -> PollResult:
    """A closed poll's result as it was counted when it closed (its anonymous ballots are gone)."""
    results = poll.results or {}
    counts = results.get("counts") or {}
    return PollResult(votes=int(results.get("votes", 0)), eligible=int(results.get("eligible", len(poll.voters))),
                      closed=True, counts=tuple(int(counts.get(option, 0)) for option in poll.options),
                      average=results.get("average"), named=dict(results.get("named") or {}))


def tally(poll: Poll, votes: Iterable[Vote], names: dict[int, str]) -> PollResult:
    options = list(poll.options)
    counts = [0] * len(options)
    chosen_values: list[float] = []
    named: dict[str, list[str]] = {}
    count = 0
    for vote in votes:
        count += 1
        for choice in vote.choices:
            counts[int(choice)] += 1
            if _is_number(options[int(choice)]):
                chosen_values.append(float(options[int(choice)]))
        if not poll.anonymous:
            named[names.get(int(vote.voter), vote.voter)] = [options[int(c)] for c in vote.choices]
    # A native (Discourse) poll's own tallies: counted, never attributed to anyone.
    for index, native in enumerate(poll.native_counts or []):
        counts[index] += int(native)
        if _is_number(options[index]):
            chosen_values += [float(options[index])] * int(native)
    count += poll.native_voters or 0
    numeric = all(_is_number(o) for o in options)
    average = round(sum(chosen_values) / len(chosen_values), 2) if numeric and chosen_values else None
    return PollResult(votes=count, eligible=len(poll.voters), closed=poll.closed_at is not None,
                      counts=tuple(counts), average=average, named=named)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def is_scale(options: tuple[str, ...] | list[str]) -> bool:
    """Options 1, 2, … n: a scale, shown and voted on as numbers."""
    return list(options) == [str(n) for n in range(1, len(options) + 1)]
