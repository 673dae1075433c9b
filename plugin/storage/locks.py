"""The one lock order for a community's workflow state: the community's row, then anything else.

Every transaction that changes timers, run waits or a run's progress takes the community's row lock
first (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite a write to the row, which takes the database's
one write lock and waits for it as a PostgreSQL row lock would). Two workers
firing timers of the same run therefore never hold each other's rows in opposite orders (no
deadlocks), and an event emitted while a run is being advanced waits until that advance commits,
then reads the waits the run has now: a vote committed meanwhile wakes the run it completes, with
the wait's current token (no lost wake-ups). Work in different communities stays parallel.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.storage.models import Community, Timer


def _lock(session: Session, which: sa.ColumnElement[bool]) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(sa.update(Community).where(which).values(id=Community.id)
                        .execution_options(synchronize_session=False))
    else:
        session.execute(sa.select(Community.id).where(which).with_for_update())


def lock_community(session: Session, community_id: int) -> None:
    """Hold the community's row until the transaction ends (again within it: at once)."""
    _lock(session, Community.id == community_id)


def lock_community_of_timer(session: Session, timer_id: int) -> None:
    """:func:`lock_community` for the timer's community, as the transaction's first statement (on
    SQLite, a transaction that read before another's commit may not write after it)."""
    _lock(session, Community.id == sa.select(Timer.community_id).where(Timer.id == timer_id).scalar_subquery())
