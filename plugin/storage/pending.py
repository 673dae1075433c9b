"""Work a transaction creates for the worker (outbox messages, due timers), handed off after commit.

Rows are written inside the transaction; only their ids go to the queue, and only once the
transaction committed — so the worker never sees an id whose row does not exist yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

_KEY = "kring.pending"


@dataclass
class Pending:
    outbox: list[int] = field(default_factory=list)
    timers: list[int] = field(default_factory=list)


def pending(session: Session) -> Pending:
    found = session.info.get(_KEY)
    if found is None:
        found = session.info[_KEY] = Pending()
    return found
