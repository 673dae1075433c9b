"""`event`: start a run when something happens in the community.

```yaml
triggers:
  - event: meeting_ended        # or member_joined, member_left, meeting_started, poll_closed,
                                #    answer_received, thread_reply
```
The event's data is available as `event.<field>` (e.g. `event.member`, `event.meeting`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import Schema, fields

from plugin.engine.fields import one_of
from plugin.engine.steps.wait import EVENTS


class Options(Schema):
    name = fields.String(required=True, validate=one_of(EVENTS, "event"))


class EventTrigger:
    ID: ClassVar[str] = "event"
    Options: ClassVar[type[Schema]] = Options
    SHORTHAND: ClassVar[str | None] = "name"

    def run_inputs(self, options: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        """The event's data as `event`, and the meeting it is about (if any) as the run's `meeting`."""
        inputs = {"trigger": {"type": self.ID, "event": options["name"]}, "event": data}
        if "meeting" in data:
            inputs["meeting"] = data["meeting"]
        return inputs

    @staticmethod
    def starts_on(options: dict[str, Any], event: str) -> bool:
        name: str = options["name"]
        return name == event
