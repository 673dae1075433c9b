"""`thread`: open a thread (a Mattermost root post, a Discourse topic) and remember it by its id.

```yaml
- thread:
    id: agenda
    title: {nl: "Agenda bijeenkomst {{ meeting.number }}", en: "Agenda meeting {{ meeting.number }}"}
    text: {nl: "Wat wil je bespreken?", en: "What would you like to discuss?"}
```
Later steps post into it with `thread: agenda`. The result is the thread's key.
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema

from plugin.engine.fields import TextField
from plugin.engine.steps.base import Continue, Outcome, StepContext


class Options(Schema):
    title = TextField(required=True)
    text = TextField(required=True)


class ThreadStep:
    ID: ClassVar[str] = "thread"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        key = ctx.step.id or ctx.key
        ctx.host.open_thread(key, ctx.text(ctx.options["title"]), ctx.text(ctx.options["text"]))
        return Continue(key)
