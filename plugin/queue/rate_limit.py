"""How many commands one user may give a minute, counted in Redis (shared by every web process).

A fixed window per user and minute: `INCR` and `EXPIRE` in one round trip. When Redis cannot be
reached the command is let through (and logged): losing Redis must not stop members.
"""

from __future__ import annotations

import logging

import redis

log = logging.getLogger(__name__)
WINDOW_SECONDS = 60


def allowed(connection: redis.Redis, who: str, per_minute: int, now: float) -> bool:
    """Count one command of ``who`` at ``now`` (Unix seconds, on Kring's clock); False when it is one
    too many this minute (0: no limit)."""
    if per_minute <= 0:
        return True
    window = int(now // WINDOW_SECONDS)
    key = f"kring:rate:{who}:{window}"
    try:
        pipeline = connection.pipeline()
        pipeline.incr(key)
        pipeline.expire(key, 2 * WINDOW_SECONDS)
        count = int(pipeline.execute()[0])
    except redis.RedisError as exc:
        log.warning("command rate not counted (%s); let through", exc)
        return True
    return count <= per_minute
