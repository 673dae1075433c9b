"""`ask`: put questions to members and collect their answers, in one or more rounds.

```yaml
- ask:
    id: domain
    questions:
      - {nl: "Waar gaat deze CoP over?", en: "What is this CoP about?"}
    thread: domain-thread      # answers are replies in this thread (or `direct: true` for DMs)
    rounds: 3                  # ask again after each round ("repeat and discuss"); or "{{ params.rounds }}"
    deadline: 7d               # per round; or "{{ params.round_length }}"
    synthesis: true            # post the round's answers together when it closes (default: true in a
                               # thread, false for `direct` questions: what was asked privately stays private)
```
A round closes at its deadline or as soon as every member asked has answered every question.
The result holds every answer per round: `domain.rounds[0]` is a list of
`{member, name, question, text}`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from marshmallow import Schema, fields, validate

from plugin.engine.fields import DurationOrTemplateField, IntOrTemplateField, TemplateField, TextField
from plugin.engine.host import QuestionSpec
from plugin.engine.inert import inert
from plugin.engine.steps.base import Continue, Outcome, StepContext, Wait
from plugin.engine.steps.common import member_ids, still_members
from plugin.texts import text

ANSWER_EVENT = "answer_received"
MAX_ROUNDS = 10


class Options(Schema):
    questions = fields.List(TextField(), required=True, validate=validate.Length(min=1, max=10))
    to = TemplateField(expression=True)
    thread = TemplateField()
    direct = fields.Boolean(load_default=False)
    rounds = IntOrTemplateField(minimum=1, maximum=MAX_ROUNDS, load_default=1)
    deadline = DurationOrTemplateField(load_default=lambda: timedelta(days=7))
    synthesis = fields.Boolean(load_default=None, allow_none=True)


class AskStep:
    ID: ClassVar[str] = "ask"
    Options: ClassVar[type[Schema]] = Options
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: StepContext) -> Outcome:
        state = ctx.state
        if ctx.wake is None:
            state.update(round=1, recipients=member_ids(ctx, ctx.options.get("to")), rounds=[])
            return self._ask(ctx)
        state["recipients"] = still_members(ctx, state["recipients"])
        answers = [a for a in ctx.host.answers(ctx.key) if a["round"] == state["round"]]
        everyone = len(state["recipients"]) * len(ctx.options["questions"])
        if ctx.wake.reason == "event" and len({(a["member"], a["question"]) for a in answers}) < everyone:
            return Wait(until=datetime.fromisoformat(state["closes_at"]), events=(f"{ANSWER_EVENT}:{ctx.key}",))
        state["rounds"].append(answers)
        synthesis = ctx.options["synthesis"]
        if synthesis or (synthesis is None and not ctx.options["direct"]):
            self._synthesise(ctx, answers)
        if state["round"] >= ctx.number(ctx.options["rounds"], 1, MAX_ROUNDS):
            return Continue({"rounds": state["rounds"], "answered": sum(len(r) for r in state["rounds"])})
        state["round"] += 1
        return self._ask(ctx)

    def _ask(self, ctx: StepContext) -> Outcome:
        closes_at = ctx.host.now() + ctx.duration(ctx.options["deadline"])
        ctx.state["closes_at"] = closes_at.isoformat()
        thread = ctx.text(ctx.options.get("thread")) or None
        ctx.host.ask(QuestionSpec(
            key=ctx.key, round=ctx.state["round"], questions=tuple(ctx.message(q) for q in ctx.options["questions"]),
            thread=thread, direct=ctx.options["direct"], recipients=tuple(ctx.state["recipients"]),
            closes_at=closes_at,
        ))
        return Wait(until=closes_at, events=(f"{ANSWER_EVENT}:{ctx.key}",))

    def _synthesise(self, ctx: StepContext, answers: list[dict[str, Any]]) -> None:
        lines = [text("ask.synthesis.title", ctx.language, round=ctx.state["round"], count=len(answers))]
        for index, question in enumerate(ctx.options["questions"]):
            lines.append(f"**{ctx.message(question)}**")
            given = [a for a in answers if a["question"] == index]
            lines += ([f"- {inert(a['name'])}: {inert(a['text'])}" for a in given]
                      or [text("ask.synthesis.none", ctx.language)])
        ctx.host.post("\n".join(lines), thread=ctx.text(ctx.options.get("thread")) or None)

