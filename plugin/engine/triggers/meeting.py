"""`before_meeting` / `after_meeting`: start a run at a fixed offset from every meeting.

```yaml
triggers:
  - before_meeting: 7d     # a week before each meeting starts
  - after_meeting: 1h      # an hour after each meeting ends
```
The meeting is available as `meeting` (number, starts_at, ends_at).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from marshmallow import Schema

from plugin.engine.fields import DurationField
from plugin.engine.triggers.base import Trigger


class Options(Schema):
    offset = DurationField(required=True)


class BeforeMeetingTrigger(Trigger):
    ID: ClassVar[str] = "before_meeting"
    Options: ClassVar[type[Schema]] = Options
    SHORTHAND: ClassVar[str | None] = "offset"

    def due(self, options: dict[str, Any], starts_at: datetime, ends_at: datetime) -> datetime:
        offset: timedelta = options["offset"]
        return starts_at - offset


class AfterMeetingTrigger(Trigger):
    ID: ClassVar[str] = "after_meeting"
    Options: ClassVar[type[Schema]] = Options
    SHORTHAND: ClassVar[str | None] = "offset"

    def due(self, options: dict[str, Any], starts_at: datetime, ends_at: datetime) -> datetime:
        offset: timedelta = options["offset"]
        return ends_at + offset
