"""`manual`: admins start a run with `/cop run <workflow>`; the simulator starts these at once.

```yaml
triggers:
  - manual: true
```
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema, fields

from plugin.engine.triggers.base import Trigger


class Options(Schema):
    enabled = fields.Boolean(load_default=True)


class ManualTrigger(Trigger):
    ID: ClassVar[str] = "manual"
    Options: ClassVar[type[Schema]] = Options
    SHORTHAND: ClassVar[str | None] = "enabled"
