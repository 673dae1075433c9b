"""Membership over time in a simulated CoP: a late joiner is asked after joining, a leaver is never
asked, reminded or assigned after leaving, and the rotation stays fair as people come and go."""

from __future__ import annotations

import itertools
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from plugin.community_file import read_community
from plugin.runtime import Runtime
from plugin.simulation import simulate
from plugin.storage.models import Assignment, Community, Meeting, Member

#: The simulation makes its own database: run once, in the SQLite pass.
pytestmark = pytest.mark.own_database

COMMUNITY = """\
name: CoP Water
language: en
timezone: Europe/Amsterdam
start: 2027-01-12
cadence_weeks: 6
months: 9
openness: open
behaviour: {answer: 1.0, vote: 1.0, decline: 0.0, seed: 3}
members:
  - {name: Anna Admin, organisation: Waterschap, role: admin}
  - {name: Ivo Initiator, organisation: Ministerie, role: initiator}
  - {name: Bram Bos, organisation: Waterschap}
  - {name: Chidi Okafor, organisation: TU Delft}
  - {name: Dewi Kusuma, organisation: TU Delft}
  - {name: Eva Bakker, organisation: BouwCo, leaves: 60}
  - {name: Farid El Amrani, organisation: BouwCo}
  - {name: Greet Peeters, organisation: Gemeente, joins: 100}
"""
WORKFLOWS = ["intake-and-composition", "home-organisation-links", "facilitators", "cop-lifecycle", "monitoring"]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("membership")
    (folder / "community.yaml").write_text(COMMUNITY, "utf-8")
    found: dict[str, Any] = {}

    def gather(runtime: Runtime, community_id: int) -> None:
        with runtime.database.session() as session:
            found["openness"] = session.get_one(Community, community_id).openness.value
            members = {m.id: m for m in session.scalars(sa.select(Member))}
            found["members"] = {m.name: (m.joined_at, m.left_at, m.role.value) for m in members.values()}
            starts = {m.number: m.starts_at for m in session.scalars(sa.select(Meeting))}
            found["pairs"] = [(a.meeting_number, starts[a.meeting_number], {members[int(i)].name for i in
                                                                              a.roles.values()})
                              for a in session.scalars(sa.select(Assignment).order_by(Assignment.meeting_number))]

    summary = simulate(WORKFLOWS, folder / "community.yaml", None, folder / "out", [], report=gather)
    assert summary["failed_runs"] == []
    found["entries"] = json.loads((folder / "out" / "transcript.json").read_text("utf-8"))["entries"]
    return found


def at(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["at"])


def moment_of(run: dict[str, Any], name: str, text: str) -> datetime:
    [entry] = [e for e in run["entries"] if e["kind"] == "membership" and e["to"] == name and e["text"] == text]
    return at(entry)


def test_the_community_file_says_who_joins_and_leaves_and_how_open_it_is(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(COMMUNITY, "utf-8")
    spec = read_community(tmp_path / "c.yaml")
    assert spec.openness.value == "open"
    assert [(c.day, spec.members[c.index].name, c.joins) for c in spec.membership_changes()] == [
        (60, "Eva Bakker", False), (100, "Greet Peeters", True)]
    (tmp_path / "bad.yaml").write_text(COMMUNITY.replace("leaves: 60", "joins: 70, leaves: 60"), "utf-8")
    with pytest.raises(Exception, match="'leaves' must come after 'joins'"):
        read_community(tmp_path / "bad.yaml")


def test_a_late_joiner_is_asked_after_joining_and_not_before(run: dict[str, Any]) -> None:
    joined = moment_of(run, "Greet Peeters", "joins the group")
    assert run["members"]["Greet Peeters"][0] == joined
    to_greet = [e for e in run["entries"] if e["kind"] == "direct" and e["to"] == "greet.peeters"]
    assert to_greet and all(at(e) >= joined for e in to_greet)
    assert any("What is your job" in e["text"] for e in to_greet)  # the intake
    assert any("consent" in e["text"] for e in to_greet)  # the consent request
    assert run["openness"] == "open" and run["members"]["Ivo Initiator"][2] == "initiator"


def test_a_leaver_is_never_asked_reminded_or_assigned_after_leaving(run: dict[str, Any]) -> None:
    left = moment_of(run, "Eva Bakker", "leaves the group")
    assert run["members"]["Eva Bakker"][1] == left
    assert not [e for e in run["entries"] if e["kind"] == "direct" and e["to"] == "eva.bakker" and at(e) > left]
    assert not [e for e in run["entries"] if e["kind"] == "member" and e["to"] == "Eva Bakker" and at(e) > left]
    assert not [number for number, starts, pair in run["pairs"] if starts > left and "Eva Bakker" in pair]


def test_the_rotation_stays_fair_as_members_join_and_leave(run: dict[str, Any]) -> None:
    pairs = [pair for _, _, pair in run["pairs"]]
    assert len(pairs) >= 6
    assert all(len(pair) == 2 for pair in pairs)
    assert all(not (first & second) for first, second in itertools.pairwise(pairs))  # nobody twice in a row
    joined = moment_of(run, "Greet Peeters", "joins the group")
    assert any("Greet Peeters" in pair for _, starts, pair in run["pairs"] if starts > joined)  # the joiner serves
