"""`record`: keep something the community produced in its journal — an adopted domain statement, a
decision and its outcome, a meeting's evaluation, a backcasting timeline, a personal highlight.

```yaml
- record:
    kind: decision                      # see below
    text: "{{ args.text }}"
    data: "{'outcome': proposal.counts}"  # optional: an expression giving a mapping
    member: "{{ event.member }}"         # optional: whose entry it is
    private: false                      # private entries are shown to their member only
    link: "{{ args.link }}"              # optional
```
Kinds: signal, domain, canvas, decision, goal, evaluation, ambition, tis, coalition, highlight,
log, backcast, experiment. A `domain` entry also becomes the community's current domain statement.
Templates read the journal with `entries('<kind>')` (public entries only). The result is the entry:
`{number, kind, text, data, …}`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import Schema, fields

from plugin.engine.fields import TemplateField, one_of
from plugin.engine.journal import EntryKind
from plugin.engine.steps.base import Continue, Outcome, StepContext
from plugin.engine.steps.common import optional_member_id
from plugin.engine.templates import TemplateFailed


class Options(Schema):
    kind = fields.String(required=True, validate=one_of([k.value for k in EntryKind], "record kind"))
    text = TemplateField(required=True)
    data = TemplateField(expression=True)
    member = TemplateField()
    private = fields.Boolean(load_default=False)
    link = TemplateField()


class RecordStep:
    ID: ClassVar[str] = "record"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        options = ctx.options
        data: Any = ctx.evaluate(options["data"]) if options.get("data") else {}
        if not isinstance(data, dict):
            raise TemplateFailed(f"record: 'data' gave {type(data).__name__}, not a mapping")
        member = optional_member_id(ctx, options.get("member"), "record: 'member'")
        return Continue(ctx.host.record(options["kind"], ctx.text(options["text"]), member=member, data=data,
                                        private=options["private"], link=ctx.text(options.get("link")) or None))
