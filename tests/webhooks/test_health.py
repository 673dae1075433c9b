"""`GET /healthz` follows the real state of the database and Redis."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from flask.testing import FlaskClient

from plugin.runtime import Runtime
from tests.support.services import PrivateRedis
from webhooks import create_app


def test_healthy(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


def test_redis_stopped_then_back(private_redis: PrivateRedis, make_runtime: Callable[..., Runtime]) -> None:
    from plugin.runtime import build_runtime

    base = make_runtime()
    runtime = build_runtime(replace(base.config, redis_url=private_redis.url))
    try:
        client = create_app(runtime=runtime).test_client()
        assert client.get("/healthz").status_code == 200

        private_redis.stop()
        down = client.get("/healthz")
        assert down.status_code == 503
        assert down.get_json() == {"status": "unavailable", "database": "ok", "redis": "unavailable"}

        private_redis.start()
        assert client.get("/healthz").status_code == 200
    finally:
        runtime.close()


def test_database_unreachable(make_runtime: Callable[..., Runtime]) -> None:
    from plugin.runtime import build_runtime

    base = make_runtime()
    runtime = build_runtime(replace(base.config, database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    try:
        response = create_app(runtime=runtime).test_client().get("/healthz")
        assert response.status_code == 503
        assert response.get_json()["database"] == "unavailable"
        assert response.get_json()["redis"] == "ok"
    finally:
        runtime.close()
