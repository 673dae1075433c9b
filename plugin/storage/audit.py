"""The audit log: every admin action is a row, never a log line only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.storage.models import AuditEntry


def audit(session: Session, *, actor: str, action: str, now: datetime, community_id: int | None = None,
          **details: Any) -> None:
    session.add(AuditEntry(community_id=community_id, actor=actor[:128], action=action, details=details, at=now))


def recent(session: Session, community_id: int | None, limit: int) -> list[AuditEntry]:
    query = sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if community_id is not None:
        query = query.where(AuditEntry.community_id == community_id)
    return list(session.scalars(query))
