"""Members' answers and votes, however they arrive: `/cop answer`, `/cop vote`, a button, a dialog.

Each records the response and emits the event that wakes the waiting step. Members' text is stored
and shown as data; it is never rendered as a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.engine.steps.ask import ANSWER_EVENT
from plugin.engine.steps.poll import VOTE_EVENT
from plugin.storage.models import Answer, Community, Member, Poll, PollParticipation, QuestionSet, Vote
from plugin.storage.states import PollStatus
from plugin.texts import text
from plugin.workflows import events
from plugin.workflows.tally import ballot_day, voter_key

MAX_ANSWER_CHARS = 4000


@dataclass(frozen=True)
class Outcome:
    """A text key (see plugin.texts) with its values: what to tell the member."""

    ok: bool
    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, language: str) -> str:
        values = dict(self.values)
        if "multiple" in values:
            values["multiple"] = text("vote.one_or_more", language) if values["multiple"] else ""
        return text(self.key, language, **values)


def open_question_set(session: Session, community: Community, member: Member, ref: int, now: datetime
                      ) -> QuestionSet | None:
    question_set = session.get(QuestionSet, ref)
    if (question_set is None or question_set.community_id != community.id
            or member.id not in question_set.recipients or question_set.closes_at <= now):
        return None
    return question_set


def record_answer(session: Session, community: Community, member: Member, question_set: QuestionSet, number: int,
                  body: str, now: datetime) -> Outcome:
    """Store (or replace) a member's answer to question ``number`` (1-based) of an open set."""
    given = session.scalar(sa.select(Answer).where(
        Answer.question_set_id == question_set.id, Answer.member_id == member.id, Answer.question == number - 1))
    body = body.strip()[:MAX_ANSWER_CHARS]
    if given is None:
        given = Answer(question_set_id=question_set.id, member_id=member.id, question=number - 1, text=body,
                       answered_at=now)
        session.add(given)
    else:
        given.text, given.answered_at = body, now
    session.flush()
    events.emit(session, community, ANSWER_EVENT, question_set.key, f"answer{given.id}@{now.timestamp()}",
                {"member": member.id, "question": number}, now)
    return Outcome(True, "answer.done", {"number": number})


def open_poll(session: Session, community: Community, member: Member, ref: int, now: datetime) -> Poll | None:
    poll = session.get(Poll, ref)
    if (poll is None or poll.community_id != community.id or poll.status != PollStatus.OPEN
            or member.id not in poll.voters or poll.closes_at <= now):
        return None
    return poll


def cast_vote(session: Session, community: Community, member: Member, poll: Poll, choices: list[int],
              now: datetime) -> Outcome:
    """Count (or change) a member's vote, and note that they voted; ``choices`` are 0-based option
    numbers."""
    if not choices or any(not 0 <= c < len(poll.options) for c in choices) or (len(choices) > 1
                                                                                and not poll.multiple):
        return Outcome(False, "vote.invalid", {"choices": f"1-{len(poll.options)}", "multiple": poll.multiple})
    voter = voter_key(poll, member.id)
    cast_at = ballot_day(poll) if poll.anonymous else now
    vote = session.scalar(sa.select(Vote).where(Vote.poll_id == poll.id, Vote.voter == voter))
    if vote is None:
        vote = Vote(poll_id=poll.id, voter=voter, choices=sorted(set(choices)), cast_at=cast_at)
        session.add(vote)
        if session.get(PollParticipation, (poll.id, member.id)) is None:
            session.add(PollParticipation(poll_id=poll.id, member_id=member.id))
    else:
        vote.choices, vote.cast_at = sorted(set(choices)), cast_at
    session.flush()
    # The event says that someone voted, never who: anonymous polls stay anonymous.
    events.emit(session, community, VOTE_EVENT, poll.key, f"vote{vote.id}@{now.timestamp()}", {"poll": poll.id}, now)
    return Outcome(True, "vote.done")
