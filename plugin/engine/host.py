"""What the engine needs from the world, as one protocol. The storage layer implements it; tests
and the simulator use the same implementation on a real database."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class PollSpec:
    key: str
    question: str
    options: tuple[str, ...]
    multiple: bool
    anonymous: bool
    closes_at: datetime
    thread: str | None
    voters: tuple[int, ...]
    #: Whether result digests list this poll (not when its result is shown otherwise, e.g. as a trend).
    in_digest: bool = True


@dataclass(frozen=True)
class PollResult:
    votes: int
    eligible: int
    closed: bool
    #: Counts per option, in the poll's option order.
    counts: tuple[int, ...]
    #: Average of the chosen values when the options are a numeric scale, else None.
    average: float | None
    #: Who voted what; always empty for an anonymous poll.
    named: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self, options: tuple[str, ...]) -> dict[str, Any]:
        return {"votes": self.votes, "eligible": self.eligible, "closed": self.closed,
                "counts": dict(zip(options, self.counts, strict=True)), "average": self.average,
                "named": self.named}


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    round: int
    questions: tuple[str, ...]
    thread: str | None
    direct: bool
    recipients: tuple[int, ...]
    closes_at: datetime


class Host(Protocol):
    """The world as one run of one workflow sees it."""

    def now(self) -> datetime: ...

    def template_context(self, names: Collection[str] | None = None) -> dict[str, Any]:
        """community, members, organisations, meetings, meeting (the next one) as plain values; only
        ``names`` of them when given (a template's names: the others are not read)."""
        ...

    def members(self) -> list[dict[str, Any]]: ...

    def post(self, text: str, *, thread: str | None = None, to_member: int | None = None) -> None: ...

    def open_thread(self, key: str, title: str, text: str) -> None: ...

    def ask(self, spec: QuestionSpec) -> None: ...

    def answers(self, key: str) -> list[dict[str, Any]]:
        """Answers to the question set ``key``: member id, name, question index, round, text."""
        ...

    def open_poll(self, spec: PollSpec) -> None: ...

    def poll_result(self, key: str) -> PollResult: ...

    def close_poll(self, key: str) -> PollResult: ...

    def awaiting_native_results(self, key: str) -> bool:
        """True while the platform's own poll has not been read back yet (closing would miss its votes)."""
        ...

    def assignment_history(self, kind: str) -> list[dict[str, int]]:
        """Earlier assignments of this kind in the community, oldest first: role → member id."""
        ...

    def absentees(self, meeting_number: int) -> frozenset[int]:
        """Members who said they cannot attend meeting ``meeting_number``."""
        ...

    def record_assignment(self, kind: str, key: str, roles: dict[str, int], meeting_number: int | None,
                          confirm: str | None) -> None:
        """Keep the assignment; with ``confirm``, ask each assignee to accept or decline with that text."""
        ...

    def record(self, kind: str, text: str, *, member: int | None, data: dict[str, Any], private: bool,
               link: str | None) -> dict[str, Any]:
        """Add a journal entry (see :mod:`plugin.cop.journal`); returns it as plain values."""
        ...

    def save_profile(self, member: int, values: dict[str, str]) -> None:
        """Store intake answers in a member's profile (``orientation`` becomes practice or theory)."""
        ...

    def digest(self, audience: str, since: str, meetings: tuple[int, int] | None) -> dict[str, int]:
        """Build, archive and send the digest for ``audience`` since the previous one (``last``), the
        start (``start``), or over a range of meetings; returns ``{digest, deliveries}``."""
        ...

    def start_run(self, workflow_id: str, params: dict[str, Any]) -> int: ...

    def run_finished(self, run_id: int) -> bool: ...
