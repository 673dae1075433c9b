"""`remind`: send a direct message to each of some members (default: everyone).

```yaml
- remind:
    to: "[facilitators.content.id, facilitators.process.id]"
    text: {nl: "Je bent facilitator op {{ meeting.starts_at }}", en: "You facilitate on {{ meeting.starts_at }}"}
```
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema

from plugin.engine.fields import TemplateField, TextField
from plugin.engine.steps.base import Continue, Outcome, StepContext
from plugin.engine.steps.common import member_ids


class Options(Schema):
    text = TextField(required=True)
    to = TemplateField(expression=True)


class RemindStep:
    ID: ClassVar[str] = "remind"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        recipients = member_ids(ctx, ctx.options.get("to"))
        body = ctx.message(ctx.options["text"])
        for member in recipients:
            ctx.host.post(body, to_member=member)
        return Continue({"reminded": len(recipients)})
