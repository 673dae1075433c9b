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

from typing import Any, ClassVar

from marshmallow import Schema, fields, validate

from plugin.engine.fields import TextField, one_of
from plugin.engine.params import PARAM_TYPES
from plugin.engine.triggers.base import Trigger
from plugin.manifest import command_words

#: Kring's built-in `/cop` commands, which a workflow cannot declare: the subcommands of manifest.json,
#: which is made from the command registry (which lives above the engine).
BUILT_IN_WORDS = command_words()


class Argument(Schema):
    name = fields.String(required=True, validate=validate.Regexp(r"^[a-z_][a-z0-9_]*$"))
    type = fields.String(load_default="string", validate=one_of(PARAM_TYPES, "argument type"))
    required = fields.Boolean(load_default=True)
    choices = fields.List(fields.String(), load_default=list)


class Options(Schema):
    word = fields.String(required=True, validate=[
        validate.Regexp(r"^[a-z][a-z0-9-]{0,30}$", error="use a lower-case word (letters, digits, -)"),
        validate.NoneOf(BUILT_IN_WORDS, error="`/cop {input}` is one of Kring's own commands; choose another word")])
    args = fields.List(fields.Nested(Argument), load_default=list)
    help = TextField()


class CommandTrigger(Trigger):
    ID: ClassVar[str] = "command"
    Options: ClassVar[type[Schema]] = Options
    SHORTHAND: ClassVar[str | None] = "word"

    def run_inputs(self, options: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        """The parsed arguments as `args`, and who typed the command as `event`."""
        return {"trigger": {"type": self.ID, "word": options["word"]}, "args": data["args"],
                "event": {"user_id": data["user_id"], "member": data["member"]}}
