"""`post`: publish a text in the group, in a thread Kring opened, or as a direct message.

```yaml
- post:
    text: {nl: "Welkom!", en: "Welcome!"}
    thread: agenda          # optional: the id of a thread opened by a `thread` step
    to: "{{ member.id }}"   # optional: a member id; sends a direct message instead
```
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema

from plugin.engine.fields import TemplateField, TextField
from plugin.engine.steps.base import Continue, Outcome, StepContext


class Options(Schema):
    text = TextField(required=True)
    thread = TemplateField()
    to = TemplateField()


class PostStep:
    ID: ClassVar[str] = "post"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        thread = ctx.text(ctx.options.get("thread")) or None
        to = ctx.text(ctx.options.get("to")) or None
        # A text's closing blank lines (left by a `{% if %}` that is false) are no part of the message.
        ctx.host.post(ctx.message(ctx.options["text"]).rstrip(), thread=thread, to_member=int(to) if to else None)
        return Continue()
