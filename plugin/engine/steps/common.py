"""Option helpers shared by steps that address members."""

from __future__ import annotations

from typing import Any

from plugin.engine.steps.base import StepContext
from plugin.engine.templates import TemplateFailed


def still_members(ctx: StepContext, ids: list[int]) -> list[int]:
    """Those of ``ids`` who are still members (someone who left the group is no longer asked)."""
    current = {int(member["id"]) for member in ctx.host.members()}
    return [member_id for member_id in ids if member_id in current]


def member_ids(ctx: StepContext, expression: str | None) -> list[int]:
    """The member ids an expression names: a list of members/ids, one member/id; default all members."""
    if not expression:
        return [int(member["id"]) for member in ctx.host.members()]
    value: Any = ctx.evaluate(expression)
    items = value if isinstance(value, list | tuple) else [value]
    ids = []
    for item in items:
        candidate = item.get("id") if isinstance(item, dict) else item
        try:
            ids.append(int(str(candidate)))
        except (TypeError, ValueError) as exc:
            raise TemplateFailed(f"{expression!r} gave {item!r}, not a member or member id") from exc
    return ids


def optional_member_id(ctx: StepContext, template: str | None, what: str) -> int | None:
    """The member id a template renders, or None when it renders empty (or Python's ``None``)."""
    given = ctx.text(template).strip()
    if not given or given == "None":
        return None
    try:
        return int(given)
    except ValueError as exc:
        raise TemplateFailed(f"{what} gave {given!r}, not a member id") from exc
