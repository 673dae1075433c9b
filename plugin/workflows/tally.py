"""Counting votes. For an anonymous poll the voter is stored only as a keyed hash, so no output —
results, digests, transcripts — can say who voted what."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from plugin.engine.host import PollResult
from plugin.storage.models import Poll, Vote


def voter_key(poll: Poll, member_id: int, secret_key: str) -> str:
    """The stored voter: the member id for a named poll, an unlinkable hash for an anonymous one."""
    if not poll.anonymous:
        return str(member_id)
    digest = hmac.new(secret_key.encode(), f"poll:{poll.id}:member:{member_id}".encode(), hashlib.sha256)
    return "anon-" + digest.hexdigest()[:40]


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
