"""`digest`: build the result digest for an audience, archive it and send it to that audience.

```yaml
- digest:
    audience: field            # field, initiator, or a home organisation's name
    since: last                # last (since the previous digest for this audience) or start
    meetings: "{{ meeting.number - 2 }}-{{ meeting.number }}"   # optional: a range of meetings instead
```
An organisation's digest goes to its contacts (`/cop contact`: direct message, e-mail or signed
webhook) and names only members who consented; the field's is posted in the group; the
initiator's goes to the members with the initiator role (else the admins). Anonymous results appear
only aggregated and from 3 votes. The result: `{audience, digest, deliveries}` (the digest's number
in the archive and how many deliveries were queued).
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema, fields

from plugin.engine.fields import TemplateField, one_of
from plugin.engine.steps.base import Continue, Outcome, StepContext
from plugin.engine.templates import TemplateFailed
from plugin.engine.values import parse_range


class Options(Schema):
    audience = TemplateField(load_default="field")
    since = fields.String(load_default="last", validate=one_of(["last", "start"], "period"))
    meetings = TemplateField()


class DigestStep:
    ID: ClassVar[str] = "digest"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        audience = ctx.text(ctx.options["audience"]).strip()
        meetings = None
        if ctx.options.get("meetings"):
            given = ctx.text(ctx.options["meetings"])
            try:
                meetings = parse_range(given)
            except ValueError as exc:
                raise TemplateFailed(f"digest: 'meetings' gave {given!r}, not a range such as 4-6") from exc
        return Continue({"audience": audience, **ctx.host.digest(audience, ctx.options["since"], meetings)})
