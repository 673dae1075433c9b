"""Named positions in a platform's stream (a timestamp in milliseconds), kept in the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from plugin.storage.models import Cursor


def position(session: Session, name: str) -> int | None:
    cursor = session.get(Cursor, name)
    return cursor.position if cursor is not None else None


def advance(session: Session, name: str, to: int, now: datetime) -> None:
    """Move the cursor forward to ``to``; never back (events may arrive out of order)."""
    cursor = session.get(Cursor, name)
    if cursor is None:
        session.add(Cursor(name=name, position=to, updated_at=now))
    elif to > cursor.position:
        cursor.position, cursor.updated_at = to, now
