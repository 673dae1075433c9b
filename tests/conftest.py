"""Fixtures on real parts: the test database (SQLite, or PostgreSQL via KRING_DATABASE_URL), Redis,
the Flask app, an RQ worker and a stand-in platform whose every request is checked against the
OpenAPI specs. Fixtures build on each other: config -> runtime -> app -> client."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from plugin.config import Config, load_config
from plugin.demo.standin import StandInPlatform
from plugin.metrics import COUNTERS_KEY
from plugin.queue.jobs import use_runtime
from plugin.queue.sweeper import LOCK_KEY
from plugin.queue.worker import worker_for
from plugin.redis_connection import embedded_redis_url, stop_embedded_redis
from plugin.runtime import Runtime, build_runtime
from plugin.storage.database import Database
from tests.support.openapi import check_platform_request
from tests.support.services import (
    database_url_for_tests,
    fresh_database,
    redis_url_for_tests,
    reset_schema,
    truncate_all,
)
from webhooks import create_app

#: Each test session has a queue of its own, so two runs sharing one Redis do not take each other's jobs.
SESSION_QUEUE = f"kring-test-{uuid.uuid4().hex[:8]}"
COMMAND_TOKEN = "test-command-token"
WEBHOOK_SECRET = "test-webhook-secret"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = database_url_for_tests(tmp_path_factory.mktemp("db"))
    reset_schema(url)
    database = Database(url)
    database.upgrade()
    database.dispose()
    return url


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = redis_url_for_tests()
    if url is None:  # outside CI without a Redis server: a real embedded one
        url = embedded_redis_url(tmp_path_factory.mktemp("redis"))
    yield url
    stop_embedded_redis()


@pytest.fixture
def platform() -> Iterator[StandInPlatform]:
    standin = StandInPlatform(check=check_platform_request).start()
    standin.add_bot()  # the Discourse bot of KRING_DISCOURSE_API_USERNAME, as the installer leaves it
    yield standin
    standin.stop()
    assert not standin.check_errors, f"requests that do not match the OpenAPI specs: {standin.check_errors}"


@pytest.fixture
def env(tmp_path: Path, database_url: str, redis_url: str, platform: StandInPlatform) -> dict[str, str]:
    """The KRING_* environment of a fully configured test installation."""
    return {
        "KRING_HOME": str(tmp_path / "home"),
        "KRING_DATABASE_URL": database_url,
        "KRING_REDIS_URL": redis_url,
        "KRING_SECRET_KEY": "test-secret-key-at-least-32-characters",
        "KRING_MATTERMOST_URL": platform.url,
        "KRING_MATTERMOST_BOT_TOKEN": "test-bot-token",
        "KRING_MATTERMOST_COMMAND_TOKENS": f"other-team-token,{COMMAND_TOKEN}",
        "KRING_DISCOURSE_URL": platform.url,
        "KRING_DISCOURSE_API_KEY": "test-api-key",
        "KRING_DISCOURSE_API_USERNAME": "kring",
        "KRING_DISCOURSE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "KRING_HTTP_TIMEOUT": "5",
        "KRING_METRICS_TOKEN": "test-metrics-token",
        # A test community's members act faster than people; the limit has its own test.
        "KRING_COMMANDS_PER_MINUTE": "0",
        "KRING_QUEUE_NAME": SESSION_QUEUE,
    }


@pytest.fixture
def process_env(tmp_path: Path, env: dict[str, str]) -> Iterator[dict[str, str]]:
    """The test installation's KRING_* variables for a `kring` process: an empty database of its own (a
    SQLite file, or a PostgreSQL schema in the PostgreSQL pass) and its own queue."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KRING_")}
    with fresh_database(env["KRING_DATABASE_URL"], tmp_path / "cli.db") as url:
        yield {**clean, **env, "KRING_DATABASE_URL": url, "KRING_QUEUE_NAME": f"cli-{uuid.uuid4().hex[:8]}",
               "KRING_SWEEP_INTERVAL": "0.2"}


@pytest.fixture
def config(env: dict[str, str]) -> Config:
    return load_config(env)


@pytest.fixture
def make_runtime(config: Config) -> Iterator[Callable[..., Runtime]]:
    """Build runtimes on the cleaned test database and Redis; the last one built serves the jobs."""
    built: list[Runtime] = []

    def make(**overrides: Any) -> Runtime:
        runtime = build_runtime(config, **overrides)
        if not built:
            truncate_all(runtime.database.engine)
            runtime.queue.empty()
            runtime.redis.delete(LOCK_KEY, COUNTERS_KEY)
        built.append(runtime)
        use_runtime(runtime)
        return runtime

    yield make
    use_runtime(None)
    for runtime in built:
        runtime.close()


@pytest.fixture
def runtime(make_runtime: Callable[..., Runtime]) -> Runtime:
    return make_runtime()


@pytest.fixture
def app(runtime: Runtime) -> Flask:
    return create_app(runtime=runtime)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def run_worker(runtime: Runtime) -> Callable[[], None]:
    """Run a real RQ worker until the queue is empty."""

    def run() -> None:
        worker = worker_for(runtime)
        worker.work(burst=True, logging_level="WARNING")

    return run


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each pass runs what depends on its database. Tests marked `postgres` run in the PostgreSQL pass
    (`.ci/run` makes one); on SQLite, which lets one writer in at a time, they are deselected. Tests
    marked `own_database` (the demo, `kring simulate`) make a database of their own whatever the pass's,
    so they run once, in the SQLite pass. The summary says how many were deselected."""
    on_postgresql = os.environ.get("KRING_DATABASE_URL", "").startswith("postgresql")
    marker = "own_database" if on_postgresql else "postgres"
    deselected = [item for item in items if item.get_closest_marker(marker)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


def pytest_report_header(config: pytest.Config) -> str:
    """Which database this pass uses. Without KRING_DATABASE_URL it is SQLite, under CI=true too:
    `.ci/run` runs the suite once without it and once on PostgreSQL, and fails when PostgreSQL is down."""
    url = os.environ.get("KRING_DATABASE_URL")
    if url:
        return f"database: {url.split('://', 1)[0]} (KRING_DATABASE_URL)"
    return "database: SQLite in each test's temporary folder (KRING_DATABASE_URL is not set)"
