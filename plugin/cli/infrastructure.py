"""One line for a failure of what Kring stands on (the database, its driver, Redis), instead of a
traceback: what failed, where, and what to check."""

from __future__ import annotations

import redis
import sqlalchemy as sa
from sqlalchemy.engine import make_url


def _masked(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(an address that is not a URL)"


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return lines[0].rstrip(".") if lines else type(cause).__name__


def describe(exc: BaseException, database_url: str | None, redis_url: str | None) -> str | None:
    """The line for ``exc`` if it is an infrastructure failure; None for anything else."""
    if isinstance(exc, sa.exc.NoSuchModuleError) or (
            isinstance(exc, ModuleNotFoundError) and database_url and "://" in database_url):
        scheme = database_url.split("://", 1)[0] if database_url else "this database"
        return (f"no database driver for {scheme}:// ({_first_line(exc)}). Kring works with sqlite:// and "
                "postgresql:// (its driver, psycopg, comes with Kring); check KRING_DATABASE_URL.")
    if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
        where = _masked(database_url) if database_url else "the database"
        return (f"the database {where} is unreachable: {_first_line(exc)}. Check KRING_DATABASE_URL and "
                "that the server is running and accepts connections.")
    if isinstance(exc, redis.ConnectionError | redis.TimeoutError):
        where = _masked(redis_url) if redis_url else "the embedded Redis"
        return (f"Redis at {where} is unreachable: {_first_line(exc)}. Check KRING_REDIS_URL and that Redis "
                "is running.")
    return None
