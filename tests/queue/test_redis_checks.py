"""`kring doctor`'s Redis lines, against the suite's real Redis."""

from __future__ import annotations

import redis

from plugin.queue.redis_checks import redis_checks
from plugin.runtime import Runtime


def test_an_unauthenticated_redis_is_named_with_the_fix(runtime: Runtime) -> None:
    version = runtime.redis.info("server")["redis_version"]
    open_door = {c.found: c.status for c in redis_checks(runtime.redis, "redis://127.0.0.1:6379/0", embedded=False)}
    assert open_door["KRING_REDIS_URL carries no password: anyone who reaches Redis can queue work"] == "warn"
    assert any(found.startswith(f"Redis {version}") for found in open_door)
    with_password = redis_checks(runtime.redis, "rediss://kring:s3cret@redis.example.org:6380/0", embedded=False)
    assert not any("no password" in check.found for check in with_password)


def test_the_embedded_redis_is_for_trying_kring_only(runtime: Runtime) -> None:
    [check] = redis_checks(runtime.redis, runtime.redis_url, embedded=True)
    assert check.status == "warn" and "for trying Kring only" in check.found


def test_a_redis_that_does_not_answer_blocks(runtime: Runtime) -> None:
    silent = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    [check] = redis_checks(silent, "redis://127.0.0.1:1/0", embedded=False)
    assert check.status == "fail" and "127.0.0.1 does not answer" in check.found
