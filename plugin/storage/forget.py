"""Erasing a member's personal data (the GDPR's right to erasure), keeping the CoP's record whole.

What goes: their name (a pseudonym instead, also in archived digests), user name and platform
account link, intake answers (the profile), private notes (goals, highlights, logbook), absences,
and the text of their answers. What stays, without them: the public journal entries they wrote
(signals, experiments, coalitions: now without an author), their answers as counts per organisation,
their votes inside the tallies, and the facilitator roles they held (under the pseudonym). Posts
already made on the platform are the platform's: Kring cannot take them back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.storage.models import Absence, Answer, Digest, JournalEntry, Member


@dataclass(frozen=True)
class Forgotten:
    pseudonym: str
    private_notes: int
    answers: int
    public_entries: int
    digests: int


def forget_member(session: Session, member: Member, pseudonym: str) -> Forgotten:
    """Erase ``member``'s personal data in this transaction (see the module's docstring); one who has not
    left yet is marked left first by the caller (which hands their coming roles over)."""
    name = member.name
    private = session.execute(sa.delete(JournalEntry).where(
        JournalEntry.member_id == member.id, JournalEntry.private.is_(True)))
    public = session.execute(sa.update(JournalEntry).where(JournalEntry.member_id == member.id)
                             .values(member_id=None))
    answers = session.execute(sa.update(Answer).where(Answer.member_id == member.id).values(text=""))
    session.execute(sa.delete(Absence).where(Absence.member_id == member.id))
    digests = 0
    for digest in session.scalars(sa.select(Digest).where(Digest.community_id == member.community_id)):
        archived = json.dumps(digest.content, ensure_ascii=False)
        if name in archived:
            digest.content = json.loads(archived.replace(json.dumps(name)[1:-1], json.dumps(pseudonym)[1:-1]))
            digests += 1
    member.name, member.username, member.profile, member.consent = pseudonym, None, {}, False
    member.platform_user_id = f"forgotten-{member.id}"  # a new account of the same person is a new member
    return Forgotten(pseudonym, _count(private), _count(answers), _count(public), digests)


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
