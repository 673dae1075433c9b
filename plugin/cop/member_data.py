"""Everything Kring holds about one member, for `/cop notes export` (the GDPR's right of access).

Votes in anonymous polls are not in it: Kring keeps them only as a hash with the poll's salt, and the
salt is gone once the poll closes, so no one (Kring included) can say which were theirs.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.cop.facilitation import KIND as FACILITATION
from plugin.engine.inert import inert
from plugin.storage.models import Absence, Answer, Assignment, JournalEntry, Member, Organisation
from plugin.texts import label, text


def member_record(session: Session, member: Member, language: str) -> list[str]:
    """The lines of a member's whole record, in ``language``; what they typed made inert."""
    def t(key: str, **values: object) -> str:
        return text(key, language, **values)

    organisation = session.get(Organisation, member.organisation_id) if member.organisation_id else None
    lines = [t("export.title", name=inert(member.name)), t("export.account", user=inert(member.username or "-"),
             account=member.platform_user_id, organisation=inert(organisation.name) if organisation else "-",
             role=label("memberrole", member.role.value, language), joined=member.joined_at.date().isoformat(),
             consent=label("value", "yes" if member.consent else "no", language))]
    lines += [f"- {label('profile', field, language)}: {inert(str(value))}" for field, value in
              sorted(member.profile.items())]
    entries = session.scalars(sa.select(JournalEntry).where(JournalEntry.member_id == member.id)
                              .order_by(JournalEntry.id)).all()
    lines.append(t("export.entries", count=len(entries)))
    lines += [f"- {e.created_at.date().isoformat()} {label('entry', e.kind.value, language)}"
              f"{' (' + t('export.private') + ')' if e.private else ''}: {inert(e.text)}" for e in entries]
    answers = session.scalars(sa.select(Answer).where(Answer.member_id == member.id).order_by(Answer.id)).all()
    lines.append(t("export.answers", count=len(answers)))
    lines += [f"- {a.answered_at.date().isoformat()} #{a.question_set_id}.{a.question}: {inert(a.text)}"
              for a in answers]
    roles = [(a.meeting_number, role) for a in session.scalars(sa.select(Assignment).where(
        Assignment.community_id == member.community_id, Assignment.kind == FACILITATION))
        for role, held_by in a.roles.items() if int(held_by) == member.id]
    absences = session.scalars(sa.select(Absence.meeting_number).where(Absence.member_id == member.id)).all()
    held = ", ".join(f"{number} ({label('role', role, language)})" for number, role in roles)
    lines.append(t("export.meetings", roles=held or "-", absent=", ".join(map(str, absences)) or "-"))
    lines.append(t("export.votes"))
    return lines
