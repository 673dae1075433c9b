"""`poll`: a vote among members, on choices or a 1-5 / 1-10 scale, anonymous by default.

```yaml
- poll:
    id: evaluation
    question: {nl: "Hoe waardevol was deze bijeenkomst?", en: "How valuable was this meeting?"}
    scale: 5                    # or: choices: [{nl: Ja, en: Yes}, {nl: Nee, en: No}]
    anonymous: true
    multiple: false
    closes_after: 2d
    close_when_all_voted: true
    in_digest: false            # the result is shown otherwise (a recorded trend, a decision)
```
Result digests list every closed poll unless `in_digest: false`. The result: `{votes, eligible,
closed, counts: {option: n}, average, named}`; `named` (who voted what) stays empty for an anonymous
poll. Closing emits `poll_closed`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from plugin.engine.fields import DurationOrTemplateField, TemplateField, TextField
from plugin.engine.host import PollSpec
from plugin.engine.steps.base import Continue, Outcome, StepContext, Wait
from plugin.engine.steps.common import member_ids

VOTE_EVENT = "vote"
#: How often a closing poll looks again for a native poll's tallies (the host gives up after a while).
NATIVE_RETRY = timedelta(minutes=2)


class Options(Schema):
    question = TextField(required=True)
    choices = fields.List(TextField(), validate=validate.Length(min=2, max=20))
    scale = fields.Integer(validate=validate.OneOf([5, 10]))
    multiple = fields.Boolean(load_default=False)
    anonymous = fields.Boolean(load_default=True)
    closes_after = DurationOrTemplateField(load_default=lambda: timedelta(days=2))
    close_when_all_voted = fields.Boolean(load_default=True)
    in_digest = fields.Boolean(load_default=True)
    voters = TemplateField(expression=True)
    thread = TemplateField()

    @validates_schema
    def choices_or_scale(self, data: dict[str, Any], **_: Any) -> None:
        if ("choices" in data) == ("scale" in data):
            raise ValidationError("give either 'choices' or 'scale'")
        if "scale" in data and data.get("multiple"):
            raise ValidationError("a scale takes one answer; 'multiple' only goes with 'choices'", "multiple")


class PollStep:
    ID: ClassVar[str] = "poll"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        options = ctx.options
        labels = (tuple(str(n) for n in range(1, options["scale"] + 1)) if "scale" in options
                  else tuple(ctx.message(choice) for choice in options["choices"]))
        if ctx.wake is None:
            closes_at = ctx.host.now() + ctx.duration(options["closes_after"])
            ctx.state.update(closes_at=closes_at.isoformat(), options=list(labels))
            ctx.host.open_poll(PollSpec(
                key=ctx.key, question=ctx.message(options["question"]), options=labels, multiple=options["multiple"],
                anonymous=options["anonymous"], closes_at=closes_at, thread=ctx.text(options.get("thread")) or None,
                voters=tuple(member_ids(ctx, options.get("voters"))), in_digest=options["in_digest"],
            ))
            return self._waiting(ctx)
        closing_time = ctx.host.now() >= datetime.fromisoformat(ctx.state["closes_at"])
        if ctx.wake.reason == "event" and not closing_time:
            result = ctx.host.poll_result(ctx.key)
            if not (options["close_when_all_voted"] and result.votes >= result.eligible):
                return self._waiting(ctx)
        if closing_time and ctx.host.awaiting_native_results(ctx.key):
            return Wait(until=ctx.host.now() + NATIVE_RETRY, events=(f"{VOTE_EVENT}:{ctx.key}",))
        return Continue(ctx.host.close_poll(ctx.key).as_dict(tuple(ctx.state["options"])))

    def _waiting(self, ctx: StepContext) -> Wait:
        return Wait(until=datetime.fromisoformat(ctx.state["closes_at"]), events=(f"{VOTE_EVENT}:{ctx.key}",))
