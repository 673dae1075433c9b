"""KRING_REDIS_URL as `redis://`, `rediss://` (TLS) or `unix://`, as the README's table promises."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import redis
from redis.connection import SSLConnection, UnixDomainSocketConnection

from plugin.config import load_config
from plugin.redis_connection import connect, resolve_redis_url
from tests.support.services import redis_server_binary


def test_a_rediss_url_connects_over_tls(tmp_path: Path) -> None:
    config = load_config({"KRING_HOME": str(tmp_path), "KRING_REDIS_URL": "rediss://kring:pw@redis.example.org:6380/2"})
    client = connect(resolve_redis_url(config))
    assert client.connection_pool.connection_class is SSLConnection
    assert client.connection_pool.connection_kwargs["host"] == "redis.example.org"


def test_a_unix_socket_url_reaches_a_real_redis(tmp_path: Path) -> None:
    socket = tmp_path / "redis.sock"
    server = subprocess.Popen([redis_server_binary(), "--port", "0", "--unixsocket", str(socket), "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        config = load_config({"KRING_HOME": str(tmp_path), "KRING_REDIS_URL": f"unix://{socket}?db=3"})
        client = connect(resolve_redis_url(config))
        assert client.connection_pool.connection_class is UnixDomainSocketConnection
        deadline = time.monotonic() + 10
        while True:
            try:
                assert client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not open its socket"
                time.sleep(0.05)
        client.set("kring-test", "1")
        assert client.connection_pool.connection_kwargs["db"] == 3 and client.get("kring-test") == b"1"
        client.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
