"""Serving with one and with two `kring serve` processes (the deployment of the README's "Serving with
several processes"), against a bare Flask "return 200" app in one waitress process, same run.

2,000 slash commands (`/cop signal …` from 20 members: token check, schema, a numbered journal entry,
the answer) from 16 client threads spread over the processes; throughput, p50 and p99.

    KRING_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \\
    KRING_BENCH_REDIS_URL=redis://127.0.0.1:6379/13 python bench/processes.py [--requests 2000]

The database named by KRING_BENCH_DATABASE_URL has its Kring tables dropped and recreated.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import sqlalchemy as sa
from servers import BARE_APP, free_port, wait_until_up

from plugin.config import load_config
from plugin.runtime import build_runtime
from plugin.storage.communities import add_community
from plugin.storage.models import Base, Member

TOKEN = "bench-command-token"
CHANNEL = "benchchannel0000000000001"
MEMBERS = 20
def load(ports: list[int], count: int) -> tuple[float, float, float]:
    """(requests per second, p50 ms, p99 ms) for ``count`` commands from 16 threads over ``ports``."""
    local, numbers, latencies = threading.local(), itertools.count(), []

    def send(_: int) -> None:
        number = next(numbers)
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        user = number % MEMBERS
        started = time.perf_counter()
        answer = session.post(f"http://127.0.0.1:{ports[number % len(ports)]}/mattermost/command", data={
            "token": TOKEN, "channel_id": CHANNEL, "channel_name": "cop", "command": "/cop", "team_id": "benchteam",
            "team_domain": "bench", "user_id": f"user-{user}", "user_name": f"m{user}",
            "text": f"signal Bench signal {number}", "trigger_id": f"t{number}", "response_url": "http://x"},
            timeout=30)
        latencies.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.text

    started = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(send, range(count)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return count / elapsed, statistics.median(ordered) * 1e3, ordered[int(len(ordered) * 0.99) - 1] * 1e3


def prepare(env: dict[str, str]) -> None:
    runtime = build_runtime(load_config(env))
    try:
        with runtime.database.engine.begin() as connection:
            Base.metadata.drop_all(connection)
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        runtime.database.upgrade()
        with runtime.database.session() as session:
            community = add_community(session, platform="mattermost", group_id=CHANNEL, name="Bench", language="en",
                                      timezone="Europe/Amsterdam", now=runtime.clock.now())
            session.add_all([Member(community_id=community.id, platform_user_id=f"user-{n}", username=f"m{n}",
                                    name=f"M{n}", joined_at=runtime.clock.now()) for n in range(MEMBERS)])
    finally:
        runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    count = parser.parse_args().requests
    home = Path(tempfile.mkdtemp(prefix="kring-bench-processes-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRING_")} | {
        "KRING_HOME": str(home), "KRING_LOG_LEVEL": "WARNING", "KRING_MATTERMOST_COMMAND_TOKENS": TOKEN,
        "KRING_COMMANDS_PER_MINUTE": "0", "KRING_SECRET_KEY": "bench-secret-key-of-more-than-32-characters",
        "KRING_DATABASE_URL": os.environ.get("KRING_BENCH_DATABASE_URL", f"sqlite:///{home / 'bench.db'}"),
        "KRING_REDIS_URL": os.environ.get("KRING_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")}
    prepare(env)
    results, running = {}, []
    try:
        bare_port = free_port()
        running.append(subprocess.Popen([sys.executable, "-c", BARE_APP, str(bare_port), "/mattermost/command"]))
        wait_until_up(f"http://127.0.0.1:{bare_port}/mattermost/command")
        results["bare Flask, 1 process"] = load([bare_port], count)
        ports: list[int] = []
        for processes in (1, 2):
            while len(ports) < processes:
                ports.append(free_port())
                running.append(subprocess.Popen([sys.executable, "-m", "plugin", "serve", "--port", str(ports[-1])],
                                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                wait_until_up(f"http://127.0.0.1:{ports[-1]}/mattermost/command")
            results[f"Kring, {processes} process{'es' if processes > 1 else ''}"] = load(ports, count)
    finally:
        for process in running:
            process.terminate()
            process.wait(timeout=20)
    bare = results["bare Flask, 1 process"][0]
    one = results["Kring, 1 process"][0]
    print(f"database: {env['KRING_DATABASE_URL'].split('@')[-1]}; {count} requests from 16 threads\n")
    print(f"{'':24} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, (rate, p50, p99) in results.items():
        print(f"{name:24} {rate:8.0f} {p50:8.2f} {p99:8.2f}   ({rate / bare:.2f}x bare, {rate / one:.2f}x one Kring)")


if __name__ == "__main__":
    main()
