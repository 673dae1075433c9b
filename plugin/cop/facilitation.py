"""Step 4 of the toolbox: the facilitator pair of each meeting answers, declines or swaps.

An assignment made by the `facilitators` workflow (kind ``facilitators``) asks each assignee to
accept or decline. A decline hands the role to the next member the rotation picks (not absent, not
already in the pair, not someone who declined this meeting before); a swap hands it to a named member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.cop.calendar import absentees
from plugin.cop.views import members_view
from plugin.engine.rotation import Candidate, CannotAssign, rotate
from plugin.platforms.base import Button, OutboundPost
from plugin.storage import outbox
from plugin.storage.models import Assignment, Community, Meeting, Member
from plugin.texts import label, text

KIND = "facilitators"
ACCEPTED, DECLINED = "accepted", "declined"
#: Buttons stay valid this long when the meeting's start is not known.
BUTTON_LIFETIME = timedelta(days=21)


def assignment_for(session: Session, community_id: int, meeting_number: int) -> Assignment | None:
    return session.scalar(sa.select(Assignment).where(
        Assignment.community_id == community_id, Assignment.kind == KIND,
        Assignment.meeting_number == meeting_number).order_by(Assignment.id.desc()).limit(1))


def facilitators_view(session: Session, community_id: int, meeting_number: int) -> dict[str, Any]:
    """Role → {id, name, answer} for the meeting's facilitators; empty when none are assigned yet."""
    assignment = assignment_for(session, community_id, meeting_number)
    if assignment is None:
        return {}
    names = dict(session.execute(sa.select(Member.id, Member.name).where(
        Member.id.in_([int(m) for m in assignment.roles.values()]))).all())
    answers = assignment.responses.get("answers", {})
    return {role: {"id": int(member), "name": names.get(int(member), "?"), "answer": answers.get(role)}
            for role, member in assignment.roles.items()}


def pair_with_roles(pair: dict[str, Any], language: str) -> str:
    """``Anna (content), Bram (process)``: a :func:`facilitators_view` as a reader reads it."""
    return ", ".join(f"{person['name']} ({label('role', role, language)})" for role, person in pair.items())


def _expiry(session: Session, assignment: Assignment) -> datetime:
    starts = session.scalar(sa.select(Meeting.starts_at).where(
        Meeting.community_id == assignment.community_id, Meeting.number == assignment.meeting_number))
    return starts if starts is not None else assignment.created_at + BUTTON_LIFETIME


def confirmation_post(session: Session, community: Community, assignment: Assignment, role: str, member_id: int,
                      question: str) -> OutboundPost:
    """A direct message asking ``member_id`` to accept ``role``, with Accept/Decline buttons."""
    member = session.get_one(Member, member_id)
    language = community.language
    expires = _expiry(session, assignment).isoformat()
    # The click comes from the direct channel: the community and the one member it is for are signed in.
    data = {"community": community.id, "for_user": member.platform_user_id, "assignment": assignment.id,
            "role": role}
    buttons = (Button(text("facilitators.accept", language), "facilitate", {**data, "accept": True}, expires),
               Button(text("facilitators.decline", language), "facilitate", {**data, "accept": False}, expires))
    body = "\n\n".join((question, text("facilitators.how_to_answer", language, role=label("role", role, language),
                                       number=assignment.meeting_number or "?")))
    return OutboundPost(community.external_group_id, body, to_user_id=member.platform_user_id,
                        to_username=member.username, community_id=community.id, buttons=buttons)


@dataclass(frozen=True)
class Answered:
    """What a facilitator's answer changed: the text for them, and who was asked instead."""

    key: str
    values: dict[str, Any]
    replacement: Member | None = None

    def text(self, language: str) -> str:
        return text(self.key, language, **self.values)


def _roles_of(assignment: Assignment, member: Member) -> list[str]:
    return [role for role, held_by in assignment.roles.items() if int(held_by) == member.id]


def history(session: Session, community_id: int, kind: str, before: int | None = None) -> list[dict[str, int]]:
    """Assignments of ``kind`` in the community (those made before assignment ``before``), oldest first."""
    query = sa.select(Assignment.roles).where(Assignment.community_id == community_id, Assignment.kind == kind)
    if before is not None:
        query = query.where(Assignment.id < before)
    return [{role: int(member) for role, member in roles.items()}
            for roles in session.scalars(query.order_by(Assignment.id))]


def answer(session: Session, community: Community, member: Member, assignment: Assignment, accept: bool,
           now: datetime, role: str | None = None) -> Answered:
    """Record ``member``'s answer for their role(s) in ``assignment``; on a decline, ask the next in line."""
    roles = [role] if role is not None and role in _roles_of(assignment, member) else _roles_of(assignment, member)
    if not roles:
        return Answered("facilitators.not_yours", {"number": assignment.meeting_number})
    answers = dict(assignment.responses.get("answers", {}))
    if accept:
        answers.update({r: ACCEPTED for r in roles})
        assignment.responses = {**assignment.responses, "answers": answers}
        return Answered("facilitators.accepted", {"number": assignment.meeting_number, "role": ", ".join(roles)})
    declined = set(assignment.responses.get("declined_by", [])) | {member.id}
    unavailable = frozenset(declined | {int(m) for m in assignment.roles.values()}
                            | absentees(session, community.id, assignment.meeting_number or 0))
    try:
        candidates = [Candidate(m["id"], m["organisation"]) for m in members_view(session, community.id)]
        picked = rotate(roles, candidates, history(session, community.id, KIND, before=assignment.id), unavailable)
    except CannotAssign:
        return Answered("facilitators.no_replacement", {"number": assignment.meeting_number})
    new_roles = {**assignment.roles, **picked}
    for r in roles:
        answers.pop(r, None)
    assignment.roles = new_roles
    assignment.responses = {**assignment.responses, "answers": answers, "declined_by": sorted(declined)}
    replacement = session.get_one(Member, next(iter(picked.values())))
    question = text("facilitators.replacement", community.language, number=assignment.meeting_number,
                    role=", ".join(roles))
    for r, member_id in picked.items():
        post = confirmation_post(session, community, assignment, r, member_id, question)
        outbox.add_message(session, idempotency_key=f"facilitate:{assignment.id}:{r}:{member_id}:{len(declined)}",
                           platform=community.platform, operation="post", payload=post.to_payload(), now=now)
    return Answered("facilitators.declined", {"number": assignment.meeting_number, "name": replacement.name},
                    replacement)


def swap(session: Session, assignment: Assignment, member: Member, other: Member) -> Answered:
    """Hand ``member``'s role(s) to ``other`` (who agreed outside Kring): the pair is updated at once."""
    roles = _roles_of(assignment, member)
    if not roles:
        return Answered("facilitators.not_yours", {"number": assignment.meeting_number})
    if _roles_of(assignment, other):
        return Answered("facilitators.already_in_pair", {"name": other.name, "number": assignment.meeting_number})
    answers = {r: a for r, a in assignment.responses.get("answers", {}).items() if r not in roles}
    assignment.roles = {**assignment.roles, **{r: other.id for r in roles}}
    assignment.responses = {**assignment.responses, "answers": answers}
    return Answered("facilitators.swapped", {"number": assignment.meeting_number, "name": other.name,
                                             "role": ", ".join(roles)})


def step_down(session: Session, community: Community, member: Member, meeting_number: int,
              now: datetime) -> Answered | None:
    """``member`` cannot facilitate meeting ``meeting_number`` after all (absent, or gone): the role
    they hold there goes to the next in line, as on a decline. None when they hold none."""
    assignment = assignment_for(session, community.id, meeting_number)
    if assignment is None or not _roles_of(assignment, member):
        return None
    return answer(session, community, member, assignment, False, now)


def hand_over(session: Session, community: Community, member: Member, now: datetime) -> list[Answered]:
    """``member`` left: each role they hold at a coming meeting goes to the next in line."""
    coming = list(session.scalars(sa.select(Meeting.number).where(
        Meeting.community_id == community.id, Meeting.starts_at > now).order_by(Meeting.number)))
    return [handed for number in coming if (handed := step_down(session, community, member, number, now)) is not None]
