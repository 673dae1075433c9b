"""Numbers people type where Kring expects the number of a row (a meeting, a poll, a run, an action)."""

from __future__ import annotations

#: The largest value of a database integer column (PostgreSQL's `integer`): a larger number is no row,
#: and is never sent to the database, which would refuse it.
MAX_INT = 2**31 - 1


def typed_number(word: str) -> int | None:
    """``word`` as a whole number a column can hold, else None: "x", "-1", "²" (a digit ``int`` does not
    read) and "99999999999999999999" are no number of anything."""
    return int(word) if word.isascii() and word.isdigit() and int(word) <= MAX_INT else None
