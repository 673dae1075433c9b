"""What Kring's buttons and forms do once their signed context is verified: vote, facilitate, answer,
confirm or undo an admin action.

Each action is registered by the name Kring signs into the button (``action``), as commands are by
their word; a click on an action Kring does not know is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from plugin.cop import facilitation
from plugin.platforms.events import ButtonClicked, FormSubmitted
from plugin.platforms.inbound import Outcome
from plugin.storage.action_uses import first_use
from plugin.storage.communities import find_community, find_member
from plugin.storage.models import Assignment, Community, Member
from plugin.texts import text
from plugin.workflows import planned as planned_actions
from plugin.workflows import responses
from plugin.workflows.responses import MAX_ANSWER_CHARS

#: An action: (session, community, member, the signed data, now) -> the text shown to the member.
Action = Callable[[Session, Community, Member, dict[str, Any], datetime], str]
ACTIONS: dict[str, Action] = {}


def action(name: str) -> Callable[[Action], Action]:
    """Register a button action under the name Kring signs into its buttons."""

    def register(function: Action) -> Action:
        ACTIONS[name] = function
        return function

    return register


@action("facilitate")
def facilitate(session: Session, community: Community, member: Member, data: dict[str, Any], now: datetime) -> str:
    assignment = session.get(Assignment, int(data["assignment"]))
    if assignment is None or assignment.community_id != community.id:
        return text("facilitators.none_for", community.language, number="?")
    return facilitation.answer(session, community, member, assignment, bool(data["accept"]), now,
                               role=str(data["role"])).text(community.language)


@action("vote")
def vote(session: Session, community: Community, member: Member, data: dict[str, Any], now: datetime) -> str:
    poll = responses.open_poll(session, community, member, int(data["poll"]), now)
    if poll is None:
        return text("vote.unknown", community.language, ref=data["poll"])
    return responses.cast_vote(session, community, member, poll, [int(data["choice"])], now).text(community.language)


@action("confirm")
def confirm(session: Session, community: Community, member: Member, data: dict[str, Any], now: datetime) -> str:
    return planned_actions.answer(session, community, str(data["planned"]), member.platform_user_id, now,
                                  confirming=True)


@action("undo")
def undo(session: Session, community: Community, member: Member, data: dict[str, Any], now: datetime) -> str:
    return planned_actions.answer(session, community, str(data["planned"]), member.platform_user_id, now,
                                  confirming=False)


def _member_of(session: Session, event: ButtonClicked | FormSubmitted) -> tuple[Community | None, Member | None]:
    """The community the click is about (signed into the button; else the channel it was in), and the
    clicking user as its current member (None for anyone else)."""
    signed = event.data.get("community")
    community = (session.get(Community, int(signed)) if signed is not None
                 else find_community(session, event.platform, event.group_id))
    if community is None or community.platform != event.platform:
        return None, None
    member = find_member(session, community.id, event.user_id)
    return community, member if member is not None and member.left_at is None else None


def _refused(language: str, key: str, **values: object) -> Outcome:
    return Outcome(language, text=text(key, language, **values), refused=True)


def click(session: Session, event: ButtonClicked, now: datetime, language: str) -> Outcome:
    """Carry out a button's action; what to show the member."""
    community, member = _member_of(session, event)
    if community is None or member is None:
        return _refused(community.language if community else language, "need.member")
    if event.data.get("for_user") not in (None, event.user_id):
        return _refused(community.language, "action.not_yours")
    chosen = ACTIONS.get(str(event.data.get("action")))
    if chosen is None:
        return _refused(community.language, "action.refused", reason=f"unknown action {event.data.get('action')!r}")
    if not first_use(session, event.nonce, event.user_id, now):
        return _refused(community.language, "action.replayed")
    return Outcome(community.language, text=chosen(session, community, member, event.data, now))


def submit(session: Session, event: FormSubmitted, now: datetime, language: str) -> Outcome:
    """Record a submitted answer form: field errors, a refusal, or the confirmation. Nothing is recorded
    when any field is wrong."""
    community, member = _member_of(session, event)
    if community is None or member is None or event.data.get("action") != "answer":
        return _refused(community.language if community else language, "need.member")
    language = community.language
    question_set = responses.open_question_set(session, community, member, int(event.data["ref"]), now)
    if question_set is None:
        return _refused(language, "answer.unknown", ref=event.data["ref"])
    errors: dict[str, str] = {}
    answers: list[tuple[int, str]] = []
    for number in range(1, len(question_set.questions) + 1):
        value = str(event.values.get(f"q{number}") or "").strip()
        if not value:
            errors[f"q{number}"] = text("answer.form.required", language)
        elif len(value) > MAX_ANSWER_CHARS:
            errors[f"q{number}"] = text("answer.form.too_long", language, max=MAX_ANSWER_CHARS)
        else:
            answers.append((number, value))
    if errors:
        return Outcome(language, errors=errors, refused=True)
    for number, value in answers:
        responses.record_answer(session, community, member, question_set, number, value, now)
    return Outcome(language, text=text("answers.done", language, count=len(answers)))
