"""Properties of fair facilitator rotation over any 12 meetings with 3 to 40 members and random absences."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugin.engine.rotation import Candidate, CannotAssign, rotate

ROLES = ("content", "process")
MEETINGS = 12


@st.composite
def communities(draw: st.DrawFn) -> tuple[list[Candidate], list[frozenset[int]]]:
    size = draw(st.integers(min_value=3, max_value=40))
    organisations = draw(st.integers(min_value=1, max_value=8))
    pool = [Candidate(i, f"org{draw(st.integers(0, organisations - 1))}") for i in range(1, size + 1)]
    absences = [frozenset(draw(st.sets(st.integers(1, size), max_size=size))) for _ in range(MEETINGS)]
    return pool, absences


def run_rotation(pool: list[Candidate], absences: list[frozenset[int]]
                 ) -> list[tuple[dict[str, int] | None, frozenset[int]]]:
    history: list[dict[str, int]] = []
    outcomes: list[tuple[dict[str, int] | None, frozenset[int]]] = []
    for absent in absences:
        try:
            chosen = rotate(ROLES, pool, history, absent)
        except CannotAssign:
            outcomes.append((None, absent))
            continue
        history.append(chosen)
        outcomes.append((chosen, absent))
    return outcomes


@settings(max_examples=300, deadline=None)
@given(communities())
def test_both_roles_are_filled_by_two_people_whenever_two_are_available(
        community: tuple[list[Candidate], list[frozenset[int]]]) -> None:
    pool, absences = community
    for chosen, absent in run_rotation(pool, absences):
        available = {c.id for c in pool} - absent
        if len(available) >= len(ROLES):
            assert chosen is not None and set(chosen) == set(ROLES)
            assert len(set(chosen.values())) == len(ROLES)
            assert set(chosen.values()) <= available
        else:
            assert chosen is None


@settings(max_examples=300, deadline=None)
@given(communities())
def test_nobody_serves_twice_in_a_row_while_others_are_available(
        community: tuple[list[Candidate], list[frozenset[int]]]) -> None:
    pool, absences = community
    previous: set[int] = set()
    for chosen, absent in run_rotation(pool, absences):
        if chosen is None:
            continue
        fresh = {c.id for c in pool} - absent - previous
        if len(fresh) >= len(ROLES):
            assert not set(chosen.values()) & previous, (chosen, previous)
        previous = set(chosen.values())


@settings(max_examples=300, deadline=None)
@given(communities())
def test_counts_differ_by_at_most_one_among_available_members(
        community: tuple[list[Candidate], list[frozenset[int]]]) -> None:
    """Whoever serves is among the available members who served least (once the twice-in-a-row rule
    is met), and the members who were available at every meeting so far stay within one of each other."""
    pool, absences = community
    served: Counter[int] = Counter()
    always = {c.id for c in pool}
    previous: set[int] = set()
    for chosen, absent in run_rotation(pool, absences):
        always -= absent
        if chosen is None:
            continue
        fresh = {c.id for c in pool} - absent - previous
        if len(fresh) >= len(ROLES):
            passed_over = fresh - set(chosen.values())
            if passed_over:
                assert max(served[m] for m in chosen.values()) <= min(served[m] for m in passed_over)
        served.update(chosen.values())
        previous = set(chosen.values())
        if len(always) >= 2 * len(ROLES):
            counts = [served[m] for m in always]
            assert max(counts) - min(counts) <= 1, (counts, chosen)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=4, max_value=40))
def test_without_absences_counts_stay_within_one_and_roles_alternate(size: int) -> None:
    pool = [Candidate(i, f"org{i % 3}") for i in range(1, size + 1)]
    history: list[dict[str, int]] = []
    for _ in range(MEETINGS):
        history.append(rotate(ROLES, pool, history))
        counts = Counter(m for h in history for m in h.values())
        assert max(counts.get(c.id, 0) for c in pool) - min(counts.get(c.id, 0) for c in pool) <= 1
    roles_of: dict[int, list[str]] = {}
    for assignment in history:
        for role, member in assignment.items():
            roles_of.setdefault(member, []).append(role)
    for member, roles in roles_of.items():
        assert all(a != b for a, b in itertools.pairwise(roles)), (member, roles)


def test_pairs_mix_organisations_where_possible() -> None:
    pool = [Candidate(1, "A"), Candidate(2, "A"), Candidate(3, "B"), Candidate(4, "B")]
    chosen = rotate(ROLES, pool, [])
    organisations = {next(c.organisation for c in pool if c.id == m) for m in chosen.values()}
    assert organisations == {"A", "B"}


def test_an_impossible_case_says_what_is_missing() -> None:
    pool = [Candidate(1), Candidate(2), Candidate(3)]
    with pytest.raises(CannotAssign, match=r"only 1 of 3 are available; 1 more needed"):
        rotate(ROLES, pool, [], absent=frozenset({1, 2}))
