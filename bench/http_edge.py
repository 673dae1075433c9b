"""HTTP edge: `kring serve` against a bare Flask "return 200" app and against the least a webhook must
do, each a waitress server in a process of its own (as a platform meets them), same machine, same run.

- throughput: requests per second with 8 client threads, for a bounded number of requests;
- the server's CPU per request over those requests (user + system, from /proc): what the server spends,
  whatever the client can drive;
- latency: p50/p99 at a fixed rate (200 requests/s), bounded in count and time.

Kring's requests do real work: a Mattermost slash command (token check, schema, the member's command rate
counted in Redis, `/cop status` read for one of the community's 20 members, the command's record, the
answer) and a signed Discourse webhook (HMAC check, dedupe record, enqueue on Redis). The members take
turns, as in a group: each gives well under the default 600 commands a minute. The second baseline
("least") writes each request's body as one row to SQLite (WAL, `synchronous=NORMAL`, as Kring), commits,
and pushes the row's id onto a Redis list: the issue's "one durable write and one enqueue".

    KRING_BENCH_REDIS_URL=redis://127.0.0.1:6379/12 python bench/http_edge.py [--requests 2000] [--rate 200]
        [--threads 8]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import redis
import requests
from servers import BARE_APP, LEAST_APP, cpu_seconds, running

from plugin.config import load_config
from plugin.platforms.discourse.connector import signature as discourse_signature
from plugin.runtime import build_runtime
from plugin.storage.communities import add_community, upsert_member
from plugin.storage.states import MemberRole

MEMBERS = 20
TOKEN = "bench-token"
SECRET = "bench-secret"
COMMAND, WEBHOOK = "/mattermost/command", "/discourse/webhook"
LEAST_QUEUE = "kring-bench-least"
Send = Callable[[requests.Session, int], requests.Response]


def throughput(send: Send, count: int) -> float:
    local = threading.local()

    def one(n: int) -> None:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        response = send(local.session, n)
        assert response.status_code == 200, response.text

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(count)))
    return count / (time.perf_counter() - started)


def latencies(send: Send, count: int, rate: float) -> tuple[float, float]:
    session = requests.Session()
    samples = []
    start = time.perf_counter()
    for n in range(count):
        wait = start + n / rate - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        began = time.perf_counter()
        assert send(session, n).status_code == 200
        samples.append(time.perf_counter() - began)
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1]


class Measured(NamedTuple):
    rate: float
    #: The server's CPU seconds (user + system) per request.
    cpu: float
    p50: float
    p99: float


def measured(send: Send, pid: int, args: argparse.Namespace) -> Measured:
    """What ``send`` gets from the server with process ``pid``, after a warm-up."""
    throughput(send, 50)
    cpu = cpu_seconds(pid)
    rate = throughput(send, args.requests)
    cpu = (cpu_seconds(pid) - cpu) / args.requests
    return Measured(rate, cpu, *latencies(send, args.requests // 2, args.rate))


def prepare(env: dict[str, str]) -> None:
    """The community of 20 members the slash commands come from, in the database `kring serve` will use."""
    runtime = build_runtime(load_config(env))
    try:
        runtime.database.upgrade()
        with runtime.database.session() as session:
            community = add_community(session, platform="mattermost", group_id="benchchannel", name="Bench",
                                      language="en", timezone="Europe/Amsterdam", now=runtime.clock.now())
            for n in range(MEMBERS):
                upsert_member(session, community_id=community.id, user_id=f"u{n}", name=f"Member {n}",
                              username=f"member{n}", organisation=f"Organisation {n % 8}", role=MemberRole.MEMBER,
                              now=runtime.clock.now())
        runtime.queue.empty()
        # An earlier run's counts of these members' commands this minute would refuse some of them.
        for key in runtime.redis.scan_iter("kring:rate:mattermost:u*"):
            runtime.redis.delete(key)
    finally:
        runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--threads", type=int, default=8, help="request threads of every server (kring serve: 8)")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="kring-bench-http-"))
    redis_url = os.environ.get("KRING_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRING_")} | {
        "KRING_HOME": str(home), "KRING_LOG_LEVEL": "WARNING", "KRING_REDIS_URL": redis_url,
        "KRING_MATTERMOST_COMMAND_TOKENS": TOKEN, "KRING_DISCOURSE_WEBHOOK_SECRET": SECRET,
        "KRING_QUEUE_NAME": "kring-bench-http", "BENCH_THREADS": str(args.threads)}
    prepare(env)
    ids = itertools.count()

    def slash(url: str) -> Send:
        return lambda session, n: session.post(url + COMMAND, timeout=10, data={
            "token": TOKEN, "channel_id": "benchchannel", "user_id": f"u{n % MEMBERS}",
            "user_name": f"member{n % MEMBERS}", "text": "status", "trigger_id": f"t-{next(ids)}"})

    def webhook(url: str) -> Send:
        def send(session: requests.Session, n: int) -> requests.Response:
            body = f'{{"topic": {{"id": {n}, "title": "Agenda"}}}}'.encode()
            return session.post(url + WEBHOOK, data=body, timeout=10, headers={
                "Content-Type": "application/json", "X-Discourse-Event": "topic_created",
                "X-Discourse-Event-Id": f"e-{next(ids)}",
                "X-Discourse-Event-Signature": discourse_signature(SECRET, body)})
        return send

    servers = {"bare": lambda port: ["-c", BARE_APP, str(port), COMMAND, WEBHOOK],
               "least": lambda port: ["-c", LEAST_APP, str(port), str(home / "least.db"), redis_url, LEAST_QUEUE,
                                      COMMAND, WEBHOOK],
               "kring": lambda port: ["-m", "plugin", "serve", "--port", str(port), "--threads", str(args.threads)]}
    results: dict[tuple[str, str], Measured] = {}
    for server, command in servers.items():
        with running(command, COMMAND, env) as (url, pid):
            for name, send in (("slash", slash), ("webhook", webhook)):
                results[server, name] = measured(send(url), pid, args)
    redis.Redis.from_url(redis_url).delete(f"rq:queue:{LEAST_QUEUE}", "rq:queue:kring-bench-http")
    print(f"{args.requests} requests, 8 client threads, each server in its own process with {args.threads} "
          f"request thread(s); latency at "
          f"{args.rate:g} requests/s. bare: Flask returning 200; least: one SQLite commit + one RQ enqueue.\n")
    for name, title in (("slash", "Mattermost slash command (verified, /cop status)"),
                        ("webhook", "Discourse webhook (signed, dedupe, queue)")):
        print(title)
        bare, least, kring = (results[server, name] for server in servers)
        for server, (rate, cpu, p50, p99) in zip(servers, (bare, least, kring), strict=True):
            print(f"  {server:6} {rate:6.0f} req/s  CPU {cpu * 1e3:5.2f} ms/req  p50 {p50 * 1e3:5.2f} ms  "
                  f"p99 {p99 * 1e3:5.2f} ms")
        print(f"  Kring: throughput {kring.rate / bare.rate:.2f}x bare and {kring.rate / least.rate:.2f}x least; "
              f"CPU {kring.cpu / bare.cpu:.1f}x bare; p50 {kring.p50 / bare.p50:.1f}x, p99 {kring.p99 / bare.p99:.1f}x "
              f"bare\n")

if __name__ == "__main__":
    main()
