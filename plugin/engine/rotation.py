"""Fair assignment of roles (e.g. a content and a process facilitator) from a pool of members.

Pure functions over plain values, so the rules can be property-tested: balanced counts, nobody twice
in a row, roles alternated per person, absences respected, pairs mixing organisations if possible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


class CannotAssign(Exception):
    """Fewer available members than roles; the message says how many are missing."""


@dataclass(frozen=True)
class Candidate:
    id: int
    organisation: str | None = None


def rotate(roles: Sequence[str], pool: Sequence[Candidate], history: Sequence[dict[str, int]],
           absent: frozenset[int] = frozenset()) -> dict[str, int]:
    """Pick one member per role; ``history`` holds earlier assignments, oldest first.

    In order of importance: nobody from the last assignment serves again while enough others are
    available; then whoever served least; then someone whose previous role was a different one; then
    someone from an organisation not yet picked; then the lowest id (so the outcome is reproducible).
    """
    available = [c for c in pool if c.id not in absent]
    if len(available) < len(roles):
        missing = len(roles) - len(available)
        raise CannotAssign(f"{len(roles)} roles need {len(roles)} available members, but only {len(available)} "
                           f"of {len(pool)} are available; {missing} more needed (fewer absences or a larger pool)")
    served = Counter(member for assignment in history for member in assignment.values())
    last = set(history[-1].values()) if history else set()
    previous_role = {member: role for assignment in history for role, member in assignment.items()}
    chosen: dict[str, int] = {}
    for role in roles:
        taken = set(chosen.values())
        remaining = [c for c in available if c.id not in taken]
        # Someone from the last assignment only serves again when there are not enough others.
        fresh_enough = sum(c.id not in last for c in remaining) >= len(roles) - len(chosen)
        organisations = {c.organisation for c in available if c.id in taken and c.organisation}

        def rank(candidate: Candidate, role: str = role, fresh_enough: bool = fresh_enough,
                 organisations: set[str] = organisations) -> tuple[int, int, int, int, int]:
            return (
                int(fresh_enough and candidate.id in last),
                served[candidate.id],
                int(previous_role.get(candidate.id) == role),
                int(candidate.organisation in organisations),
                candidate.id,
            )

        chosen[role] = min(remaining, key=rank).id
    return chosen
