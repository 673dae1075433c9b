"""How many commands one user may give a minute, counted in Redis (shared by every web process).

A fixed window per user and minute: `INCR`, and `EXPIRE` on the window's first command, in one
round trip (a server-side script: atomic, and cheaper for the client than a pipeline). When Redis cannot be
reached the command is let through (and logged): losing Redis must not stop members.
"""

from __future__ import annotations

import logging

import redis

log = logging.getLogger(__name__)
WINDOW_SECONDS = 60
_COUNT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


def allowed(connection: redis.Redis, who: str, per_minute: int, now: float) -> bool:
    """Count one command of ``who`` at ``now`` (Unix seconds, on Kring's clock); False when it is one
    too many this minute (0: no limit)."""
    if per_minute <= 0:
        return True
    window = int(now // WINDOW_SECONDS)
    key = f"kring:rate:{who}:{window}"
    try:
        count = int(connection.register_script(_COUNT)(keys=[key], args=[2 * WINDOW_SECONDS]))
    except redis.RedisError as exc:
        log.warning("command rate not counted (%s); let through", exc)
        return True
    return count <= per_minute
