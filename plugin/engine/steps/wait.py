"""`wait`: pause the run for a duration, until a moment, or until an event happens.

```yaml
- wait: {for: 3d}                      # or {for: "{{ params.pause }}"}
- wait: {until: "{{ meeting.starts_at }}"}
- wait: {event: meeting_ended, timeout: 8w}
```
Give exactly one of `for`, `until` and `event`; `timeout` only goes with `event`. The result says
what ended the wait (`woken_by`) with the event's data; a meeting event also sets `meeting`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from marshmallow import Schema, ValidationError, fields, validates_schema

from plugin.engine.fields import DurationField, DurationOrTemplateField, TemplateField, one_of
from plugin.engine.steps.base import Continue, Outcome, StepContext, Wait
from plugin.engine.templates import TemplateFailed

EVENTS = ("member_joined", "member_left", "meeting_started", "meeting_ended", "poll_closed", "answer_received",
          "thread_reply")


class Options(Schema):
    for_ = DurationOrTemplateField(data_key="for")
    until = TemplateField()
    event = fields.String(validate=one_of(EVENTS, "event"))
    timeout = DurationField()

    @validates_schema
    def one_kind(self, data: dict[str, Any], **_: Any) -> None:
        given = [key for key in ("for_", "until", "event") if key in data]
        if len(given) != 1:
            raise ValidationError("give exactly one of 'for', 'until' and 'event'")
        if "timeout" in data and "event" not in data:
            raise ValidationError("'timeout' only goes with 'event'", "timeout")


class WaitStep:
    ID: ClassVar[str] = "wait"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        if ctx.wake is not None:
            return Continue({"woken_by": ctx.wake.event or "time", **ctx.wake.data})
        options = ctx.options
        if "for_" in options:
            return Wait(until=ctx.host.now() + ctx.duration(options["for_"]))
        if "until" in options:
            return Wait(until=_moment(ctx.text(options["until"])))
        timeout = options.get("timeout")
        return Wait(until=ctx.host.now() + timeout if timeout else None, events=(options["event"],))


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise TemplateFailed(f"'until' gave {text!r}, not an ISO date and time") from exc
    if moment.tzinfo is None:
        raise TemplateFailed(f"'until' gave {text!r} without a time zone")
    return moment
