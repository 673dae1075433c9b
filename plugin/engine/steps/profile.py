"""`profile`: keep what an intake asked in each member's profile.

```yaml
- ask:
    id: intake
    direct: true
    questions: [...]                 # e.g. function, practice or theory, own question, learning goals
- profile:
    answers: intake                  # the id of an `ask` step
    fields: [function, orientation, question, goals]   # one field per question, in order
```
A field named `orientation` is read as practice or theory (in Dutch or English: "praktijk",
"theorie", "practice", "theory"); the composition report counts it. Each member's latest answer wins.
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema, fields, validate

from plugin.engine.steps.base import Continue, Outcome, StepContext
from plugin.engine.templates import TemplateFailed


class Options(Schema):
    answers = fields.String(required=True, validate=validate.Regexp(r"^[a-z_][a-z0-9_]*$"))
    fields_ = fields.List(fields.String(validate=validate.Regexp(r"^[a-z_][a-z0-9_]*$")), required=True,
                          data_key="fields", validate=validate.Length(min=1, max=10))


class ProfileStep:
    ID: ClassVar[str] = "profile"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        asked = ctx.variables.get(ctx.options["answers"])
        if not isinstance(asked, dict) or "rounds" not in asked:
            raise TemplateFailed(f"profile: {ctx.options['answers']!r} is not the id of an earlier ask step")
        names = ctx.options["fields_"]
        per_member: dict[int, dict[str, str]] = {}
        for round_answers in asked["rounds"]:
            for answer in round_answers:
                index = int(answer["question"])  # 0-based, like the questions list
                if 0 <= index < len(names):
                    per_member.setdefault(int(answer["member"]), {})[names[index]] = str(answer["text"])
        for member, values in per_member.items():
            ctx.host.save_profile(member, values)
        return Continue({"members": len(per_member)})
