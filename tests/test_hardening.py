"""Hardening an attacker or a curious reader of the disk would test: a huge body refused before it is
read, no password in `kring config`, private files."""

from __future__ import annotations

import socket
import stat
import subprocess
from pathlib import Path

import requests

from tests.support.cli import KRING, run
from tests.support.services import free_port
from tests.support.waiting import wait_for


def test_a_huge_body_is_refused_before_it_is_read(process_env: dict[str, str]) -> None:
    """waitress answers from the Content-Length alone (with KRING_MAX_BODY_BYTES) instead of spooling the
    body to disk first; nothing of the body is sent here, so only an early answer comes back at all."""
    env = {**process_env, "KRING_MAX_BODY_BYTES": "65536"}
    assert run(["db", "upgrade"], env).returncode == 0
    port = free_port()
    server = subprocess.Popen([*KRING, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200, "serve")
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(b"POST /mattermost/command HTTP/1.1\r\nHost: kring\r\nContent-Type: "
                               b"application/x-www-form-urlencoded\r\nContent-Length: 400000000\r\n\r\n")
            answer = connection.recv(200)
        assert answer.startswith(b"HTTP/1.1 413")
    finally:
        server.terminate()
        server.wait(timeout=15)


def test_kring_config_masks_passwords_in_urls(process_env: dict[str, str]) -> None:
    env = {**process_env, "KRING_REDIS_URL": "redis://:s3cret-redis@127.0.0.1:6379/0",
           "KRING_DATABASE_URL": "postgresql://kring:s3cret-db@127.0.0.1:5432/kring"}
    shown = run(["config"], env)
    assert shown.returncode == 0, shown.stderr
    assert "s3cret" not in shown.stdout
    assert "redis://:***@127.0.0.1:6379/0" in shown.stdout and "kring:***@127.0.0.1:5432/kring" in shown.stdout


def test_kring_home_and_its_database_are_private(process_env: dict[str, str], tmp_path: Path) -> None:
    home = tmp_path / "private-home"
    env = {k: v for k, v in process_env.items() if k not in ("KRING_DATABASE_URL", "KRING_SECRET_KEY")}
    assert run(["db", "upgrade"], {**env, "KRING_HOME": str(home)}).returncode == 0
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "kring.db").stat().st_mode) == 0o600
