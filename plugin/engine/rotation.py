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
    """Pick one member per role; ``history`` holds earlier assignments, oldest first."""
    available = [c for c in pool if c.id not in absent]
    if len(available) < len(roles):
        raise CannotAssign(f"{len(roles)} roles need {len(roles)} available members; only {len(available)} are")
    served = Counter(member for assignment in history for member in assignment.values())
    last = history[-1] if history else {}
    last_role = {member: role for role, member in last.items()}
    chosen: dict[str, int] = {}
    for role in roles:
        taken = set(chosen.values())
        remaining = [c for c in available if c.id not in taken]
        # Someone from the last pair only serves again when there are not enough others.
        fresh_enough = sum(c.id not in last_role for c in remaining) >= len(roles) - len(chosen)
        organisations: set[str | None] = {c.organisation for c in available if c.id in taken and c.organisation}

        def rank(candidate: Candidate, role: str = role, fresh_enough: bool = fresh_enough,
                 organisations: set[str | None] = organisations) -> tuple[int, int, int, int, int]:
            return (
                int(fresh_enough and candidate.id in last_role),
                served[candidate.id],
                int(last_role.get(candidate.id) == role),
                int(candidate.organisation in organisations),
                candidate.id,
            )

        chosen[role] = min(remaining, key=rank).id
    return chosen
