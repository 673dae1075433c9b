"""`digest`: build a digest of what the community recorded and post it.

```yaml
- digest:
    audience: field            # community (default), field, initiator, or an organisation's name
    since: last                # last (since the previous digest) or start
    thread: results            # optional
```
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema, fields, validate

from plugin.engine.fields import TemplateField
from plugin.engine.steps.base import Continue, Outcome, StepContext


class Options(Schema):
    audience = TemplateField(load_default="community")
    since = fields.String(load_default="last", validate=validate.OneOf(["last", "start"]))
    thread = TemplateField()


class DigestStep:
    ID: ClassVar[str] = "digest"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        body = ctx.host.digest(ctx.text(ctx.options["audience"]), ctx.options["since"])
        ctx.host.post(body, thread=ctx.text(ctx.options.get("thread")) or None)
        return Continue({"audience": ctx.text(ctx.options["audience"]), "length": len(body)})
