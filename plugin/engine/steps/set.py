"""`set`: store values in the run, computed from expressions.

```yaml
- set:
    round_count: "3"
    low_score: "evaluation.average is not none and evaluation.average < 3"
```
Each value is a Jinja2 expression; later steps and templates see it by name.
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema, fields

from plugin.engine.fields import TemplateField
from plugin.engine.steps.base import Continue, Outcome, StepContext


class Options(Schema):
    values = fields.Dict(keys=fields.String(), values=TemplateField(expression=True), required=True)


class SetStep:
    ID: ClassVar[str] = "set"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()
    #: `set: {a: ..}` is shorthand for `set: {values: {a: ..}}`.
    SHORTHAND_MAPPING: ClassVar[str] = "values"

    def run(self, ctx: StepContext) -> Outcome:
        computed = {name: ctx.evaluate(expression) for name, expression in ctx.options["values"].items()}
        ctx.variables.update(computed)
        return Continue(computed)
