"""The one lock order for a community's workflow state: the community's row, then anything else.

Every transaction that changes timers, run waits or a run's progress takes the community's row lock
first (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite a write to the row, which takes the database's
one write lock and waits for it as a PostgreSQL row lock would). Two workers
firing timers of the same run therefore never hold each other's rows in opposite orders (no
deadlocks), and an event emitted while a run is being advanced waits until that advance commits,
then reads the waits the run has now: a vote committed meanwhile wakes the run it completes, with
the wait's current token (no lost wake-ups). Work in different communities stays parallel.

A transaction locks a community once: the communities it holds are noted in the session, for the
transaction under way (emitting an event adds a timer per waiting run, each asking for the lock).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.storage.models import Community, Timer

_HELD = "kring.locked_communities"


def _held(session: Session) -> set[int]:
    """The communities the session's current transaction holds locked."""
    transaction: Any = session.get_transaction()
    noted = session.info.get(_HELD)
    if noted is None or noted[0] is not transaction:
        noted = session.info[_HELD] = (transaction, set())
    held: set[int] = noted[1]
    return held


def _lock(session: Session, which: sa.ColumnElement[bool]) -> None:
    """Lock the community ``which`` selects (if there is one), and note it as held."""
    if session.get_bind().dialect.name == "sqlite":
        statement: Any = (sa.update(Community).where(which).values(id=Community.id).returning(Community.id)
                          .execution_options(synchronize_session=False))
    else:
        statement = sa.select(Community.id).where(which).with_for_update()
    locked = session.scalar(statement)
    if locked is not None:
        _held(session).add(int(locked))


def lock_community(session: Session, community_id: int) -> None:
    """Hold the community's row until the transaction ends (at once when it holds it already)."""
    if community_id not in _held(session):
        _lock(session, Community.id == community_id)


def lock_community_of_timer(session: Session, timer_id: int) -> None:
    """:func:`lock_community` for the timer's community, as the transaction's first statement (on
    SQLite, a transaction that read before another's commit may not write after it)."""
    _lock(session, Community.id == sa.select(Timer.community_id).where(Timer.id == timer_id).scalar_subquery())
