"""Signed contexts used once: a button click or a sign-in link, recorded by its nonce and its user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from plugin.storage.models import ActionUse


def first_use(session: Session, nonce: str, user_id: str, now: datetime) -> bool:
    """Record the use; False when this user used this context before (a replay, a second click)."""
    try:
        with session.begin_nested():
            session.add(ActionUse(nonce=nonce[:40], user_id=user_id, used_at=now))
    except IntegrityError:
        return False
    return True
