"""`when`: run `then` steps if a condition holds, else the `else` steps.

```yaml
- when:
    condition: "evaluation.average < 3"
    then:
      - post: {text: {nl: "…", en: "…"}}
    else: []
```
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema

from plugin.engine.fields import StepListField, TemplateField


class Options(Schema):
    condition = TemplateField(expression=True, required=True)
    then = StepListField(required=True)
    else_ = StepListField(data_key="else", load_default=list)


class WhenStep:
    ID: ClassVar[str] = "when"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ("then", "else_")
