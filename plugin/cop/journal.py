"""The journal: what a community records over its 18 months, numbered per kind.

Private entries (a personal log line, a learning goal, a highlight) are shown to their member only;
digests include them only with the member's consent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from plugin.engine.journal import EntryKind
from plugin.storage.models import JournalCounter, JournalEntry, Member

MAX_TEXT = 4000


def next_number(session: Session, community_id: int, kind: EntryKind) -> int:
    """The next number of ``kind`` in the community. The counter row's update locks it until the
    transaction ends, so a concurrent writer waits and takes the number after; the first entry of a
    kind creates the row, and a writer that lost that race updates the row the other created."""
    taken = session.scalar(sa.update(JournalCounter).where(
        JournalCounter.community_id == community_id, JournalCounter.kind == kind)
        .values(last_number=JournalCounter.last_number + 1).returning(JournalCounter.last_number)
        .execution_options(synchronize_session=False))
    if taken is not None:
        return int(taken)
    try:
        with session.begin_nested():
            session.add(JournalCounter(community_id=community_id, kind=kind, last_number=1))
        return 1
    except IntegrityError:
        return next_number(session, community_id, kind)


def add_entry(session: Session, community_id: int, kind: EntryKind, text: str, now: datetime, *,
              member_id: int | None = None, link: str | None = None, data: dict[str, Any] | None = None,
              private: bool = False, meeting_number: int | None = None) -> JournalEntry:
    number = next_number(session, community_id, kind)
    entry = JournalEntry(community_id=community_id, kind=kind, text=text[:MAX_TEXT], member_id=member_id, link=link,
                         data=data or {}, private=private, meeting_number=meeting_number, number=number,
                         created_at=now)
    session.add(entry)
    session.flush()
    return entry


def entries(session: Session, community_id: int, kind: EntryKind, *, reader: int | None = None,
            since: datetime | None = None) -> list[JournalEntry]:
    """Entries of ``kind``, oldest first: the public ones, plus the private ones of ``reader``."""
    visible = sa.or_(JournalEntry.private.is_(False), JournalEntry.member_id == reader) if reader is not None \
        else JournalEntry.private.is_(False)
    query = sa.select(JournalEntry).where(JournalEntry.community_id == community_id, JournalEntry.kind == kind,
                                          visible)
    if since is not None:
        query = query.where(JournalEntry.created_at > since)
    return list(session.scalars(query.order_by(JournalEntry.id)))


def latest(session: Session, community_id: int, kind: EntryKind) -> JournalEntry | None:
    return session.scalar(sa.select(JournalEntry).where(
        JournalEntry.community_id == community_id, JournalEntry.kind == kind, JournalEntry.private.is_(False))
        .order_by(JournalEntry.id.desc()).limit(1))


def entry_view(entry: JournalEntry, names: dict[int, str]) -> dict[str, Any]:
    """An entry as plain values for templates; the author's name only for entries with an author."""
    return {"number": entry.number, "kind": entry.kind.value, "text": entry.text, "link": entry.link,
            "data": entry.data, "meeting": entry.meeting_number, "date": entry.created_at.date().isoformat(),
            "by": names.get(entry.member_id) if entry.member_id is not None else None}


def member_names(session: Session, community_id: int) -> dict[int, str]:
    return dict(session.execute(sa.select(Member.id, Member.name).where(Member.community_id == community_id))
                .all())
