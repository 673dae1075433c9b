"""`assign`: pick members for roles — e.g. a content and a process facilitator per meeting.

```yaml
- assign:
    id: facilitators
    roles: [content, process]
    pool: "members | selectattr('core_group') | list"   # default: all members
    strategy: rotate                                   # rotate (fair), or fixed
    fixed: {content: "{{ params.content_lead }}"}       # member ids; with rotate, only these roles are fixed
    confirm: {nl: "Wil je bijeenkomst {{ meeting.number }} begeleiden?", en: "Will you facilitate …?"}
```
`rotate` balances counts, avoids anyone serving twice in a row, alternates roles per person, mixes
organisations and skips members who said they are absent (`/cop absent <n>`) for the meeting in
question. With `confirm`, each assignee gets that text with Accept/Decline buttons (Discourse:
`/cop facilitators accept|decline <n>`); a decline hands the role to the next in the rotation.
With `strategy: rotate`, a role whose `fixed` template renders a member id is held by that member and
the other roles rotate among the rest; one rendering empty rotates too.
The result maps each role to `{id, name}`.
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from plugin.engine.fields import TemplateField, TextField, one_of
from plugin.engine.rotation import Candidate, CannotAssign, rotate
from plugin.engine.steps.base import Continue, Outcome, StepContext
from plugin.engine.steps.common import member_ids, optional_member_id
from plugin.engine.templates import TemplateFailed


class Options(Schema):
    roles = fields.List(fields.String(validate=validate.Length(min=1, max=40)), load_default=lambda: ["content",
                                                                                                        "process"],
                        validate=validate.Length(min=1, max=10))
    pool = TemplateField(expression=True)
    strategy = fields.String(load_default="rotate", validate=one_of(["rotate", "fixed"], "strategy"))
    fixed = fields.Dict(keys=fields.String(), values=TemplateField(), load_default=dict)
    kind = fields.String(validate=validate.Length(min=1, max=60))
    confirm = TextField()

    @validates_schema
    def fixed_needs_members(self, data: dict[str, object], **_: object) -> None:
        if data.get("strategy") == "fixed" and not data.get("fixed"):
            raise ValidationError("strategy 'fixed' needs 'fixed': a member id per role", "fixed")


class AssignStep:
    ID: ClassVar[str] = "assign"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        options = ctx.options
        kind = options.get("kind") or ctx.step.id or "assignment"
        members = {int(m["id"]): m for m in ctx.host.members()}
        meeting = ctx.context(("meeting",)).get("meeting")
        meeting_number = int(meeting["number"]) if isinstance(meeting, dict) else None
        pinned = self._pinned(ctx)
        if options["strategy"] == "fixed" and set(pinned) != set(options["roles"]):
            missing = ", ".join(sorted(set(options["roles"]) - set(pinned)))
            raise TemplateFailed(f"fixed assignment needs a member id for every role; none for {missing}")
        rotating = [role for role in options["roles"] if role not in pinned]
        chosen = dict(pinned)
        if rotating:
            pool = [Candidate(i, members[i].get("organisation")) for i in member_ids(ctx, options.get("pool"))
                    if i in members and i not in pinned.values()]
            absent = ctx.host.absentees(meeting_number) if meeting_number is not None else frozenset()
            try:
                chosen.update(rotate(rotating, pool, ctx.host.assignment_history(kind), absent))
            except CannotAssign as exc:
                raise TemplateFailed(str(exc)) from exc
        chosen = {role: chosen[role] for role in options["roles"]}
        ctx.host.record_assignment(kind, ctx.key, chosen, meeting_number,
                                   ctx.message(options["confirm"]) if options.get("confirm") else None)
        return Continue({role: {"id": member, "name": members.get(member, {}).get("name", str(member))}
                         for role, member in chosen.items()})

    @staticmethod
    def _pinned(ctx: StepContext) -> dict[str, int]:
        """Roles that ``fixed`` gives a member id for (a template rendering empty leaves the role open)."""
        given = {role: optional_member_id(ctx, template, f"fixed: {role}")
                 for role, template in ctx.options["fixed"].items()}
        return {role: member for role, member in given.items() if member is not None}
