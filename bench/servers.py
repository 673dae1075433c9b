"""Servers the HTTP benchmarks start as processes of their own, as a platform meets them: the bare
Flask app, the least a webhook must do, and `kring serve` (imported as `servers`, like `timing`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import requests

#: A Flask app on waitress that answers "ok" on every path it names, and does nothing else. Both apps
#: serve with BENCH_THREADS request threads (8, as `kring serve`, unless set).
BARE_APP = """
import logging, os, sys
from flask import Flask
import waitress
logging.getLogger("waitress").setLevel(logging.ERROR)
app = Flask("bare")
for path in sys.argv[2:]:
    app.add_url_rule(path, path, lambda: "ok", methods=["POST"])
waitress.serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=int(os.environ.get("BENCH_THREADS", 8)),
               _quiet=True)
"""

#: What each webhook must do at the least (the "physical limit" of the performance issue): write the body
#: as one row to SQLite (WAL, synchronous=NORMAL, as Kring) and commit, then enqueue the row's id as an
#: RQ job (RQ is Kring's queue; the job is never run).
LEAST_APP = """
import logging, os, sqlite3, sys, threading
import redis, waitress
from flask import Flask, request
from rq import Queue
from rq.serializers import JSONSerializer
logging.getLogger("waitress").setLevel(logging.ERROR)
port, path, redis_url, queue_name, *routes = sys.argv[1:]
queue = Queue(queue_name, connection=redis.Redis.from_url(redis_url), serializer=JSONSerializer)
local = threading.local()
def database():
    if not hasattr(local, "db"):
        local.db = sqlite3.connect(path, timeout=10, isolation_level=None)
        local.db.execute("PRAGMA journal_mode=WAL")
        local.db.execute("PRAGMA synchronous=NORMAL")
        local.db.execute("CREATE TABLE IF NOT EXISTS event (id INTEGER PRIMARY KEY, body BLOB)")
    return local.db
def write():
    db = database()
    db.execute("BEGIN")
    row = db.execute("INSERT INTO event (body) VALUES (?)", (request.get_data(),)).lastrowid
    db.execute("COMMIT")
    queue.enqueue("builtins.abs", row, result_ttl=0)
    return "ok"
app = Flask("least")
for route in routes:
    app.add_url_rule(route, route, write, methods=["POST"])
waitress.serve(app, host="127.0.0.1", port=int(port), threads=int(os.environ.get("BENCH_THREADS", 8)), _quiet=True)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.post(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered at {url}")


@contextmanager
def running(command: Callable[[int], list[str]], probe_path: str, env: dict[str, str] | None = None
            ) -> Iterator[tuple[str, int]]:
    """Start ``python <command(port)>`` on a free port and wait until ``probe_path`` answers; (its base
    URL, its pid). Stopped when the block ends."""
    port = free_port()
    process = subprocess.Popen([sys.executable, *command(port)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + probe_path)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far (Linux: /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
