"""`thread`: open a thread (a Mattermost root post, a Discourse topic) and remember it.

```yaml
- thread:
    id: agenda
    key: "agenda-{{ meeting.number }}"   # optional; default: unique to this run
    title: {nl: "Agenda bijeenkomst {{ meeting.number }}", en: "Agenda meeting {{ meeting.number }}"}
    text: {nl: "Wat wil je bespreken?", en: "What would you like to discuss?"}
- post: {thread: "{{ agenda }}", text: {nl: "…", en: "…"}}
```
The result is the thread's key; later steps (and other runs, with an explicit `key`) post into it.
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema

from plugin.engine.fields import TemplateField, TextField
from plugin.engine.steps.base import Continue, Outcome, StepContext


class Options(Schema):
    key = TemplateField()
    title = TextField(required=True)
    text = TextField(required=True)


class ThreadStep:
    ID: ClassVar[str] = "thread"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        key = ctx.text(ctx.options.get("key")) or f"{ctx.step.id or 'thread'}-{ctx.key}"
        ctx.host.open_thread(key, ctx.message(ctx.options["title"]), ctx.message(ctx.options["text"]))
        return Continue(key)
