"""Insert a row unless a row with the same unique key exists: one statement on SQLite and PostgreSQL.

``INSERT … ON CONFLICT DO NOTHING RETURNING id`` is what a look-up, a savepoint, the insert and its
release did before, in one round trip: the common case (a new row) is one statement, and a concurrent
insert of the same key makes the statement do nothing instead of failing the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


@cache
def _statement(dialect: str, model: Any, unique: tuple[str, ...]) -> Any:
    """Built once per table: building a statement costs more than running it. It inserts into the table,
    not the ORM entity: an ORM insert runs SQLAlchemy's bulk-insert machinery, which took two thirds of the
    statement's time for one row (Kring's column names are its attribute names, so ``values`` serve both)."""
    table = model.__table__
    insert: Any = _INSERTS[dialect](table)
    return insert.on_conflict_do_nothing(index_elements=list(unique)).returning(table.c.id)


def insert_once(session: Session, model: Any, unique: Sequence[str], values: dict[str, Any]) -> tuple[int, bool]:
    """The id of the row of ``model`` whose ``unique`` columns have these ``values``, and whether this
    call inserted it."""
    created = session.scalar(_statement(session.get_bind().dialect.name, model, tuple(unique)), values)
    if created is not None:
        return int(created), True
    existing = session.scalar(sa.select(model.id).where(*(getattr(model, name) == values[name] for name in unique)))
    if existing is None:  # the row that conflicted was deleted meanwhile: nothing sensible to return
        raise RuntimeError(f"{model.__tablename__}: a row with this key conflicted, then vanished")
    return int(existing), False
