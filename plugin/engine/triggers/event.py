"""`event`: start a run when something happens in the community.

```yaml
triggers:
  - event: meeting_ended        # or member_joined, member_left, meeting_started, poll_closed,
                                #    answer_received, thread_reply
```
The event's data is available as `event.<field>` (e.g. `event.member`, `event.meeting`).
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema, fields, validate

from plugin.engine.steps.wait import EVENTS


class Options(Schema):
    name = fields.String(required=True, validate=validate.OneOf(EVENTS))


class EventTrigger:
    ID: ClassVar[str] = "event"
    Options: ClassVar[type[Schema]] = Options
    SHORTHAND: ClassVar[str | None] = "name"
