"""`/cop answer <ref> [number] <text>` and `/cop vote <ref> <choice>[,<choice>…]`.

Both record the member's response and emit an event that wakes the waiting workflow step.
Members' text is stored and shown as data; it is never rendered as a template.
"""

from __future__ import annotations

import sqlalchemy as sa

from plugin.commands.access import refusal
from plugin.commands.base import CommandContext, Reply
from plugin.engine.steps.ask import ANSWER_EVENT
from plugin.engine.steps.poll import VOTE_EVENT
from plugin.storage.models import Answer, Poll, QuestionSet, Vote
from plugin.storage.states import PollStatus
from plugin.texts import text
from plugin.workflows import events
from plugin.workflows.tally import voter_key

MAX_ANSWER_CHARS = 4000


class AnswerCommand:
    name = "answer"
    usage = "/cop answer <ref> [number] <answer>"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True, args=2, numbered=True):
            return refused
        assert ctx.community is not None and ctx.member is not None
        member = ctx.member
        ref = ctx.args[0]
        question_set = ctx.session.get(QuestionSet, int(ref))
        if (question_set is None or question_set.community_id != ctx.community.id
                or member.id not in question_set.recipients or question_set.closes_at <= ctx.now):
            return Reply(text("answer.unknown", ctx.language, ref=ref))
        words = ctx.args[1:]
        count = len(question_set.questions)
        number = 1
        if words[0].isdigit() and 1 <= int(words[0]) <= count and len(words) > 1:
            number, words = int(words[0]), words[1:]
        elif count > 1:
            return Reply(text("answer.which", ctx.language, ref=ref, count=count))
        body = " ".join(words)[:MAX_ANSWER_CHARS]
        given = ctx.session.scalar(sa.select(Answer).where(
            Answer.question_set_id == question_set.id, Answer.member_id == member.id,
            Answer.question == number - 1))
        if given is None:
            given = Answer(question_set_id=question_set.id, member_id=member.id, question=number - 1, text=body,
                           answered_at=ctx.now)
            ctx.session.add(given)
        else:
            given.text, given.answered_at = body, ctx.now
        ctx.session.flush()
        events.emit(ctx.session, ctx.community, ANSWER_EVENT, question_set.key,
                    f"answer{given.id}@{ctx.now.timestamp()}", {"member": member.id, "question": number}, ctx.now)
        return Reply(text("answer.done", ctx.language, number=number))


class VoteCommand:
    name = "vote"
    usage = "/cop vote <ref> <number>[,<number>…]"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True, args=2, numbered=True):
            return refused
        assert ctx.community is not None and ctx.member is not None
        member = ctx.member
        poll = ctx.session.get(Poll, int(ctx.args[0]))
        if (poll is None or poll.community_id != ctx.community.id or poll.status != PollStatus.OPEN
                or member.id not in poll.voters or poll.closes_at <= ctx.now):
            return Reply(text("vote.unknown", ctx.language, ref=ctx.args[0]))
        choices = self._choices(" ".join(ctx.args[1:]), len(poll.options))
        if choices is None or (len(choices) > 1 and not poll.multiple):
            return Reply(text("vote.invalid", ctx.language, choices=f"1-{len(poll.options)}",
                              multiple=text("vote.one_or_more", ctx.language) if poll.multiple else ""))
        voter = voter_key(poll, member.id, ctx.config.secret_key)
        vote = ctx.session.scalar(sa.select(Vote).where(Vote.poll_id == poll.id, Vote.voter == voter))
        if vote is None:
            vote = Vote(poll_id=poll.id, voter=voter, choices=choices, cast_at=ctx.now)
            ctx.session.add(vote)
        else:
            vote.choices, vote.cast_at = choices, ctx.now
        ctx.session.flush()
        # The event says that someone voted, never who: anonymous polls stay anonymous.
        events.emit(ctx.session, ctx.community, VOTE_EVENT, poll.key, f"vote{vote.id}@{ctx.now.timestamp()}",
                    {"poll": poll.id}, ctx.now)
        return Reply(text("vote.done", ctx.language))

    @staticmethod
    def _choices(raw: str, count: int) -> list[int] | None:
        parts = [part.strip() for part in raw.replace(" ", ",").split(",") if part.strip()]
        if not parts or not all(part.isdigit() and 1 <= int(part) <= count for part in parts):
            return None
        return sorted({int(part) - 1 for part in parts})
