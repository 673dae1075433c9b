"""`command`: members start a run with `/cop <word> [arguments]`.

```yaml
triggers:
  - command:
      word: signal
      args:
        - {name: text, type: string}
        - {name: link, type: string, required: false}
      help: {nl: "legt een urgentiesignaal vast", en: "records an urgency signal"}
```
The last argument takes the rest of the line. Arguments are available as `args.<name>`.
Shorthand: `- command: signal`. The words of Kring's own commands (see `/cop help`) are taken.
"""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema, fields, validate

from plugin.engine.fields import TextField
from plugin.engine.params import PARAM_TYPES

#: Kring's built-in `/cop` commands; a workflow cannot declare these words (a test keeps this list
#: equal to the command registry, which lives above the engine).
BUILT_IN_WORDS = frozenset({
    "help", "status", "intro", "workflows", "enable", "disable", "runs", "run", "cancel", "answer", "vote", "meeting",
    "absent", "facilitators", "domain", "signal", "coalition", "log", "goal", "notes", "consent", "composition",
    "contact", "digest",
})


class Argument(Schema):
    name = fields.String(required=True, validate=validate.Regexp(r"^[a-z_][a-z0-9_]*$"))
    type = fields.String(load_default="string", validate=validate.OneOf(PARAM_TYPES))
    required = fields.Boolean(load_default=True)
    choices = fields.List(fields.String(), load_default=list)


class Options(Schema):
    word = fields.String(required=True, validate=[
        validate.Regexp(r"^[a-z][a-z0-9-]{0,30}$", error="use a lower-case word (letters, digits, -)"),
        validate.NoneOf(BUILT_IN_WORDS, error="`/cop {input}` is one of Kring's own commands; choose another word")])
    args = fields.List(fields.Nested(Argument), load_default=list)
    help = TextField()


class CommandTrigger:
    ID: ClassVar[str] = "command"
    Options: ClassVar[type[Schema]] = Options
    SHORTHAND: ClassVar[str | None] = "word"
