"""`/cop composition` (admins): the composition report of step 2 of the toolbox."""

from __future__ import annotations

from plugin.commands.access import refusal
from plugin.commands.base import CommandContext, Reply
from plugin.cop.composition import Composition, composition
from plugin.texts import text


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


class CompositionCommand:
    name = "composition"
    usage = "/cop composition"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, admin=True):
            return refused
        assert ctx.community is not None
        return Reply(text("composition.title", ctx.language, name=ctx.community.name) + "\n"
                     + composition_report(composition(ctx.session, ctx.community), ctx.language), personal=True)
