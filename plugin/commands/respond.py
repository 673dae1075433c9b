"""`/cop answer <ref> [number] <text>` and `/cop vote <ref> <choice>[,<choice>…]`."""

from __future__ import annotations

from plugin.commands.access import refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.platforms.base import Form, FormField
from plugin.storage.models import QuestionSet
from plugin.storage.numbers import typed_number
from plugin.texts import text
from plugin.workflows import responses


class AnswerCommand(CommandBase):
    name = "answer"
    hint = "<ref> [number] <answer>"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True, args=1, numbered=True):
            return refused
        assert ctx.community is not None and ctx.member is not None
        ref, asked = ctx.args[0], typed_number(ctx.args[0])
        question_set = None if asked is None else responses.open_question_set(ctx.session, ctx.community,
                                                                                ctx.member, asked, ctx.now)
        if question_set is None:
            return Reply(text("answer.unknown", ctx.language, ref=ref), personal=True)
        words = ctx.args[1:]
        if not words:
            return self._form(ctx, question_set)
        count = len(question_set.questions)
        number = 1
        chosen = typed_number(words[0])
        if chosen is not None and 1 <= chosen <= count and len(words) > 1:
            number, words = chosen, words[1:]
        elif count > 1:
            return Reply(text("answer.which", ctx.language, ref=ref, count=count), personal=True)
        return Reply(responses.record_answer(ctx.session, ctx.community, ctx.member, question_set, number,
                                             ctx.invocation.free_text(len(ctx.args) - len(words) + 1),
                                             ctx.now).text(ctx.language), personal=True)


    def _form(self, ctx: CommandContext, question_set: QuestionSet) -> Reply:
        """All questions of the set in one form; where forms are not shown, how to answer by text."""
        questions = list(question_set.questions)
        fields = tuple(FormField(f"q{number}", text("answer.form.label", ctx.language, number=number),
                                 question[:150]) for number, question in enumerate(questions, start=1))
        return Reply(text("answer.which", ctx.language, ref=question_set.id, count=len(questions)), personal=True,
                     form=Form(text("answer.form.title", ctx.language, round=question_set.round), fields,
                               {"action": "answer", "ref": question_set.id},
                               text("answer.form.submit", ctx.language)))


class VoteCommand(CommandBase):
    name = "vote"
    hint = "<ref> <number>[,<number>…]"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True, args=2, numbered=True):
            return refused
        assert ctx.community is not None and ctx.member is not None
        ref = typed_number(ctx.args[0])
        poll = None if ref is None else responses.open_poll(ctx.session, ctx.community, ctx.member, ref, ctx.now)
        if poll is None:
            return Reply(text("vote.unknown", ctx.language, ref=ctx.args[0]), personal=True)
        if poll.native:
            return Reply(text("vote.native", ctx.language, ref=poll.id), personal=True)
        if poll.anonymous and ctx.invocation.read_by_group:
            # The group reads this post: the vote is not counted, and the member told where to send it.
            return Reply(text("command.private_only", ctx.language, command=self.name), personal=True)
        parts = [part.strip() for part in " ".join(ctx.args[1:]).replace(" ", ",").split(",") if part.strip()]
        numbers = [typed_number(part) for part in parts]
        choices = [n - 1 for n in numbers if n is not None] if None not in numbers else []
        return Reply(responses.cast_vote(ctx.session, ctx.community, ctx.member, poll, choices, ctx.now)
                     .text(ctx.language), personal=True)
