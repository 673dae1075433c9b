"""The command rate per user and minute, counted in Redis by one server-side script."""

from __future__ import annotations

from plugin.queue import rate_limit
from plugin.runtime import Runtime

NOW = 1_800_000_000.0  # at the start of a minute


def test_the_limit_holds_per_user_and_minute_and_the_count_expires(runtime: Runtime) -> None:
    redis = runtime.redis
    redis.delete(*redis.keys("kring:rate:mattermost:[ab]*") or ["none"])
    assert [rate_limit.allowed(redis, "mattermost:anna", 3, NOW + n) for n in range(4)] == [True] * 3 + [False]
    assert rate_limit.allowed(redis, "mattermost:bram", 3, NOW)  # another member counts apart
    assert rate_limit.allowed(redis, "mattermost:anna", 3, NOW + rate_limit.WINDOW_SECONDS)  # the next minute
    key = f"kring:rate:mattermost:anna:{int(NOW // rate_limit.WINDOW_SECONDS)}"
    assert int(redis.get(key) or 0) == 4
    assert 0 < redis.ttl(key) <= 2 * rate_limit.WINDOW_SECONDS  # set with the window's first command


def test_no_limit_counts_nothing(runtime: Runtime) -> None:
    runtime.redis.delete(key := f"kring:rate:mattermost:chidi:{int(NOW // rate_limit.WINDOW_SECONDS)}")
    assert all(rate_limit.allowed(runtime.redis, "mattermost:chidi", 0, NOW) for _ in range(5))
    assert runtime.redis.get(key) is None
