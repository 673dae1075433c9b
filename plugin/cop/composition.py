"""Step 2 of the toolbox: is the group composed well? Size against about 20, the organisations and
sectors represented, the balance of practice and theory, possible competitors (more than one
organisation from one sector) and continuity (organisations with a single participant)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.storage.communities import current_member_of
from plugin.storage.models import Community, Member, Organisation
from plugin.storage.states import Orientation
from plugin.texts import text

TARGET_SIZE = 20
#: Below or above this many members the report flags the size.
SIZE_RANGE = (12, 25)


@dataclass(frozen=True)
class Composition:
    size: int
    target: int
    size_ok: bool
    #: Organisation name → number of members.
    organisations: dict[str, int]
    #: Sector → organisation names.
    sectors: dict[str, list[str]]
    practice: int
    theory: int
    unknown_orientation: int
    #: Sectors with more than one organisation: possible competitors at one table.
    shared_sectors: dict[str, list[str]]
    #: Organisations with one member: their continuity hangs on one person.
    single_member: list[str]
    without_organisation: int
    openness: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def composition(session: Session, community: Community) -> Composition:
    organisations = {o.id: o for o in session.scalars(
        sa.select(Organisation).where(Organisation.community_id == community.id))}
    members = list(session.scalars(sa.select(Member).where(current_member_of(community.id))))
    per_organisation = Counter(organisations[m.organisation_id].name for m in members
                               if m.organisation_id in organisations)
    sectors: dict[str, list[str]] = defaultdict(list)
    for organisation in sorted(organisations.values(), key=lambda o: o.name):
        if per_organisation.get(organisation.name):
            sectors[organisation.sector or "?"].append(organisation.name)
    orientations = Counter(m.orientation for m in members)
    return Composition(
        size=len(members), target=TARGET_SIZE, size_ok=SIZE_RANGE[0] <= len(members) <= SIZE_RANGE[1],
        organisations=dict(sorted(per_organisation.items())), sectors=dict(sectors),
        practice=orientations[Orientation.PRACTICE], theory=orientations[Orientation.THEORY],
        unknown_orientation=orientations[None],
        shared_sectors={sector: names for sector, names in sectors.items() if len(names) > 1 and sector != "?"},
        single_member=sorted(name for name, count in per_organisation.items() if count == 1),
        without_organisation=sum(m.organisation_id is None for m in members), openness=community.openness.value,
    )


def composition_report(report: Composition, language: str) -> str:
    lines = [text("composition.size", language, size=report.size, target=report.target,
                  verdict=text("composition.size_ok" if report.size_ok else "composition.size_off", language))]
    lines.append(text("composition.organisations", language, count=len(report.organisations),
                      listed=", ".join(f"{name} ({n})" for name, n in report.organisations.items()) or "-"))
    lines.append(text("composition.sectors", language, listed="; ".join(
        f"{sector}: {', '.join(names)}" for sector, names in report.sectors.items()) or "-"))
    lines.append(text("composition.balance", language, practice=report.practice, theory=report.theory,
                      unknown=report.unknown_orientation))
    if report.shared_sectors:
        lines.append(text("composition.competitors", language, listed="; ".join(
            f"{sector}: {', '.join(names)}" for sector, names in report.shared_sectors.items())))
    if report.single_member:
        lines.append(text("composition.continuity", language, listed=", ".join(report.single_member)))
    if report.without_organisation:
        lines.append(text("composition.no_organisation", language, count=report.without_organisation))
    lines.append(text(f"composition.{report.openness}", language))
    return "\n".join(lines)
