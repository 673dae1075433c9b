"""`for_each`: run steps once per item: per member, organisation, meeting, or any list.

```yaml
- for_each:
    over: members            # or organisations, meetings, or an expression giving a list
    as: member
    steps:
      - post: {to: "{{ member.id }}", text: {nl: "Hoi {{ member.name }}", en: "Hi {{ member.name }}"}}
```
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema, fields, validate

from plugin.engine.fields import StepListField, TemplateField
from plugin.engine.model import Step
from plugin.engine.program import CompileSteps, Jump, LoopNext, LoopStart, Program


class Options(Schema):
    over = TemplateField(expression=True, required=True)
    as_ = fields.String(data_key="as", load_default="item",
                        validate=validate.Regexp(r"^[a-z_][a-z0-9_]*$", error="use lower-case letters, digits, _"))
    steps = StepListField(required=True)


class ForEachStep:
    ID: ClassVar[str] = "for_each"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ("steps",)

    @staticmethod
    def compile(step: Step, program: Program, compile_steps: CompileSteps) -> None:
        """The list, then per item: bind it, run the steps, jump back."""
        loop = f"loop{len(program)}"
        program.append(LoopStart(loop, step.options["over"]))
        head = LoopNext(loop, step.options["as_"])
        start = len(program)
        program.append(head)
        compile_steps(step.children["steps"])
        program.append(Jump(start))
        head.end = len(program)
