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
from plugin.engine.model import Step
from plugin.engine.program import Branch, CompileSteps, Jump, Program


class Options(Schema):
    condition = TemplateField(expression=True, required=True)
    then = StepListField(required=True)
    else_ = StepListField(data_key="else", load_default=list)


class WhenStep:
    ID: ClassVar[str] = "when"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ("then", "else_")

    @staticmethod
    def compile(step: Step, program: Program, compile_steps: CompileSteps) -> None:
        """A branch over `then`, and a jump over `else`."""
        branch = Branch(step.options["condition"])
        program.append(branch)
        compile_steps(step.children["then"])
        jump = Jump()
        program.append(jump)
        branch.otherwise = len(program)
        compile_steps(step.children["else"])
        jump.target = len(program)
