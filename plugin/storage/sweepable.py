"""What inbound events, outbox messages and timers share: rows that become due and are swept.

Each table names its id, state and visibility columns; the sweeper asks for due ids, and gives the
rows it queued time to be picked up before it queues them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

#: How long a queued row may wait for its job before the sweeper queues it again.
HANDOFF_GRACE = timedelta(seconds=30)


@dataclass(frozen=True)
class Sweepable:
    model: type[Any]
    #: States in which a row can be due.
    due_states: Sequence[StrEnum]
    #: The state in which a queued row may be postponed (rows being worked on keep their lease).
    waiting_state: StrEnum
    #: Name of the column that says from when the sweeper may queue the row.
    visible_column: str
    #: The state of a row a worker holds (under a lease); None for rows claimed once and for all.
    working_state: StrEnum | None = None

    def claim(self, session: Session, row_id: int, now: datetime, lease: timedelta) -> Any:
        """Take a waiting row, or a working one whose worker's lease ran out; None when neither."""
        assert self.working_state is not None
        visible = getattr(self.model, self.visible_column)
        claimed = session.execute(
            sa.update(self.model).where(
                self.model.id == row_id,
                sa.or_(self.model.status == self.waiting_state,
                       sa.and_(self.model.status == self.working_state, visible <= now)))
            .values({"status": self.working_state, self.visible_column: now + lease,
                     "attempts": self.model.attempts + 1})
            .execution_options(synchronize_session=False))
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return session.get(self.model, row_id, populate_existing=True)

    def due_ids(self, session: Session, now: datetime, limit: int) -> list[int]:
        visible = getattr(self.model, self.visible_column)
        return list(session.scalars(
            sa.select(self.model.id).where(self.model.status.in_(self.due_states), visible <= now)
            .order_by(visible).limit(limit)))

    def postpone(self, session: Session, ids: list[int], until: datetime) -> list[int]:
        """Hide the rows about to be queued from the next sweeps for a while; the ones to queue. A row a
        worker holds locked right now is being carried out: it is passed over (`SKIP LOCKED`), so the
        sweeper never waits behind, nor gets in the way of, a worker."""
        if not ids:
            return []
        free = list(session.scalars(sa.select(self.model.id).where(self.model.id.in_(ids))
                                    .with_for_update(skip_locked=True)))
        if free:
            session.execute(
                sa.update(self.model).where(self.model.id.in_(free), self.model.status == self.waiting_state)
                .values({self.visible_column: until}).execution_options(synchronize_session=False))
        return free
