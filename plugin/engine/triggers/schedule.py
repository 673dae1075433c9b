"""`schedule`: start a run on a calendar, in the community's time zone (DST-correct).

```yaml
triggers:
  - schedule: "every 6 weeks on tuesday 14:00"   # counted from the community's start date
  - schedule: {cron: "0 9 * * mon"}              # standard five-field cron
```
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, validates, validates_schema

from plugin.engine.schedule import check_cron, next_cron, next_every, parse_every
from plugin.engine.triggers.base import Trigger


class Options(Schema):
    every = fields.String()
    cron = fields.String()

    @validates("every")
    def valid_every(self, value: str, **_: Any) -> None:
        try:
            parse_every(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    @validates("cron")
    def valid_cron(self, value: str, **_: Any) -> None:
        try:
            check_cron(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    @validates_schema
    def one_rule(self, data: dict[str, Any], **_: Any) -> None:
        if ("every" in data) == ("cron" in data):
            raise ValidationError("give either 'every' or 'cron'")


class ScheduleTrigger(Trigger):
    ID: ClassVar[str] = "schedule"
    Options: ClassVar[type[Schema]] = Options
    SHORTHAND: ClassVar[str | None] = "every"

    def next_due(self, options: dict[str, Any], after: datetime, zone: ZoneInfo, anchor: date) -> datetime:
        if "cron" in options:
            return next_cron(options["cron"], after, zone)
        return next_every(parse_every(options["every"]), after, zone, anchor)
