"""The community file of `kring simulate`: who the simulated members are, when they join and leave,
how they behave and what they type along the way (see the README's simulate section)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ruamel.yaml import YAML

from plugin.answer_bank import read_answers
from plugin.errors import KringError
from plugin.storage.states import MemberRole, Openness, Orientation


class SimulationError(KringError):
    pass


@dataclass(frozen=True)
class SimulatedMember:
    name: str
    organisation: str
    sector: str | None
    role: MemberRole
    core_group: bool
    orientation: Orientation | None
    #: The day (as in the script) the member joins the group; None: a member from the start.
    joins: int | None = None
    #: The day the member leaves the group; None: stays to the end.
    leaves: int | None = None

    @property
    def username(self) -> str:
        return self.name.lower().replace(" ", ".")


@dataclass(frozen=True)
class MembershipChange:
    """A member joins or leaves the group on a day of the CoP (day 0 is the first meeting's date, 12:00)."""

    day: int
    index: int
    joins: bool


@dataclass(frozen=True)
class ScriptedAction:
    """A member types a command on a given day of the CoP (day 0 is the first meeting's date, 12:00)."""

    day: int
    member: str
    command: str


@dataclass(frozen=True)
class CommunitySpec:
    name: str
    language: str
    timezone: str
    start: date
    cadence_weeks: int
    months: int
    members: tuple[SimulatedMember, ...]
    answer_rate: float
    vote_rate: float
    seed: int
    #: Chance that a member asked to facilitate declines (the rotation then asks the next in line).
    decline_rate: float = 0.0
    script: tuple[ScriptedAction, ...] = ()
    openness: Openness = Openness.CLOSED
    #: The community's own answers (question start → answers), before the defaults of the answer bank.
    answers: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def membership_changes(self) -> list[MembershipChange]:
        changes = [MembershipChange(m.joins, index, True) for index, m in enumerate(self.members)
                   if m.joins is not None]
        changes += [MembershipChange(m.leaves, index, False) for index, m in enumerate(self.members)
                    if m.leaves is not None]
        return sorted(changes, key=lambda change: (change.day, not change.joins, change.index))


def read_community(path: Path) -> CommunitySpec:
    """The community file: name, language, start, cadence, members (see the README)."""
    try:
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        members = tuple(SimulatedMember(
            name=str(m["name"]), organisation=str(m.get("organisation", "Independent")), sector=m.get("sector"),
            role=MemberRole(m.get("role", "member")), core_group=bool(m.get("core_group", False)),
            orientation=Orientation(m["orientation"]) if m.get("orientation") else None,
            joins=int(m["joins"]) if m.get("joins") is not None else None,
            leaves=int(m["leaves"]) if m.get("leaves") is not None else None,
        ) for m in data["members"])
        late = [m.name for m in members if m.joins is not None and m.leaves is not None and m.leaves <= m.joins]
        if late:
            raise ValueError(f"{', '.join(late)}: 'leaves' must come after 'joins'")
        behaviour = data.get("behaviour", {})
        return CommunitySpec(
            name=str(data["name"]), language=str(data.get("language", "en")),
            timezone=str(data.get("timezone", "Europe/Amsterdam")), start=date.fromisoformat(str(data["start"])),
            cadence_weeks=int(data.get("cadence_weeks", 6)), months=int(data.get("months", 18)), members=members,
            answer_rate=float(behaviour.get("answer", 0.8)), vote_rate=float(behaviour.get("vote", 0.9)),
            seed=int(behaviour.get("seed", 1)), decline_rate=float(behaviour.get("decline", 0.0)),
            script=tuple(ScriptedAction(int(a["day"]), str(a["member"]), str(a["command"]))
                         for a in data.get("script", ())),
            openness=Openness(data.get("openness", "closed")), answers=read_answers(data.get("answers")))
    except (OSError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SimulationError(f"{path}: not a valid community file ({type(exc).__name__}: {exc})") from exc
