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

    def due_ids(self, session: Session, now: datetime, limit: int) -> list[int]:
        visible = getattr(self.model, self.visible_column)
        return list(session.scalars(
            sa.select(self.model.id).where(self.model.status.in_(self.due_states), visible <= now)
            .order_by(visible).limit(limit)))

    def postpone(self, session: Session, ids: list[int], until: datetime) -> None:
        if ids:
            session.execute(
                sa.update(self.model).where(self.model.id.in_(ids), self.model.status == self.waiting_state)
                .values({self.visible_column: until}).execution_options(synchronize_session=False))
