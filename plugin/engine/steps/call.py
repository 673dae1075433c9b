"""`call`: start another workflow enabled in the same community, and by default wait for it.

```yaml
- call:
    workflow: monitoring
    params: {scale: "5"}
    wait: true
```
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema, fields, validate

from plugin.engine.fields import TemplateField
from plugin.engine.steps.base import Continue, Outcome, StepContext, Wait

RUN_DONE_EVENT = "run_done"


class Options(Schema):
    workflow = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9-]*$"))
    params = fields.Dict(keys=fields.String(), values=TemplateField(), load_default=dict)
    wait = fields.Boolean(load_default=True)


class CallStep:
    ID: ClassVar[str] = "call"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        if ctx.wake is None:
            params = {name: ctx.text(value) for name, value in ctx.options["params"].items()}
            run_id = ctx.host.start_run(ctx.options["workflow"], params)
            ctx.state["run"] = run_id
            if not ctx.options["wait"]:
                return Continue({"run": run_id})
        run_id = ctx.state["run"]
        if not ctx.host.run_finished(run_id):
            return Wait(events=(f"{RUN_DONE_EVENT}:{run_id}",))
        return Continue({"run": run_id})
