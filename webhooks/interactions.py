"""What buttons and forms do, once their signed context is verified: vote, facilitate, answer."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from plugin.cop import facilitation
from plugin.runtime import Runtime
from plugin.signing import Verified
from plugin.storage.communities import find_community, find_member
from plugin.storage.models import ActionUse, Assignment
from plugin.storage.states import Platform
from plugin.texts import text
from plugin.workflows import responses
from plugin.workflows.responses import MAX_ANSWER_CHARS


def _first_use(session: Session, nonce: str, user_id: str, now: Any) -> bool:
    try:
        with session.begin_nested():
            session.add(ActionUse(nonce=nonce[:40], user_id=user_id, used_at=now))
    except IntegrityError:
        return False
    return True


def act(session: Session, runtime: Runtime, channel_id: str, user_id: str, verified: Verified) -> str:
    """Carry out a button's action for ``user_id``; the text to show them."""
    community = find_community(session, Platform.MATTERMOST, channel_id)
    language = community.language if community else runtime.config.language
    member = find_member(session, community.id, user_id) if community else None
    if community is None or member is None:
        return text("need.member", language)
    now = runtime.clock.now()
    data = verified.data
    if data.get("action") not in ("vote", "facilitate"):
        return text("action.refused", language, reason=f"unknown action {data.get('action')!r}")
    if not _first_use(session, verified.nonce, user_id, now):
        return text("action.replayed", language)
    if data["action"] == "facilitate":
        assignment = session.get(Assignment, int(data["assignment"]))
        if assignment is None or assignment.community_id != community.id:
            return text("facilitators.none_for", language, number="?")
        return facilitation.answer(session, community, member, assignment, bool(data["accept"]), now,
                                   role=str(data["role"])).text(language)
    poll = responses.open_poll(session, community, member, int(data["poll"]), now)
    if poll is None:
        return text("vote.unknown", language, ref=data["poll"])
    return responses.cast_vote(session, community, member, poll, [int(data["choice"])],
                               runtime.config.secret_key, now).text(language)


def submit_form(session: Session, runtime: Runtime, channel_id: str, user_id: str, verified: Verified,
                submission: dict[str, Any]) -> tuple[dict[str, str], str | None]:
    """Record a submitted answer form; (field errors, message). Nothing is recorded when any field is wrong."""
    community = find_community(session, Platform.MATTERMOST, channel_id)
    language = community.language if community else runtime.config.language
    member = find_member(session, community.id, user_id) if community else None
    if community is None or member is None or verified.data.get("action") != "answer":
        return {}, text("need.member", language)
    now = runtime.clock.now()
    question_set = responses.open_question_set(session, community, member, int(verified.data["ref"]), now)
    if question_set is None:
        return {}, text("answer.unknown", language, ref=verified.data["ref"])
    errors: dict[str, str] = {}
    answers: list[tuple[int, str]] = []
    for number in range(1, len(question_set.questions) + 1):
        value = str(submission.get(f"q{number}") or "").strip()
        if not value:
            errors[f"q{number}"] = text("answer.form.required", language)
        elif len(value) > MAX_ANSWER_CHARS:
            errors[f"q{number}"] = text("answer.form.too_long", language, max=MAX_ANSWER_CHARS)
        else:
            answers.append((number, value))
    if errors:
        return errors, None
    for number, value in answers:
        responses.record_answer(session, community, member, question_set, number, value, now)
    return {}, text("answers.done", language, count=len(answers))
