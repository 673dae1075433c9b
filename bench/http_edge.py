"""HTTP edge: Kring's verified endpoints against a bare Flask "return 200" app, same WSGI server
(waitress), same machine, same run.

- throughput: requests per second with 8 client threads, for a bounded number of requests;
- latency: p50/p99 at a fixed rate (200 requests/s), bounded in count and time.

Kring's requests do real work: a Mattermost slash command (token check, schema, database record of the
command, answer) and a signed Discourse webhook (HMAC check, dedupe record, enqueue on Redis).

    python bench/http_edge.py [--requests 2000] [--rate 200]
"""

from __future__ import annotations

import argparse
import itertools
import logging
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from waitress.server import create_server

from plugin.config import load_config
from plugin.platforms.discourse.connector import signature as discourse_signature
from plugin.redis_connection import stop_embedded_redis
from plugin.runtime import build_runtime
from plugin.storage.communities import add_community
from webhooks import create_app

TOKEN = "bench-token"
SECRET = "bench-secret"


@contextmanager
def serving(app: Any) -> Any:
    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.task_dispatcher.shutdown()
        server.close()


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200)
    args = parser.parse_args()
    logging.getLogger("waitress").setLevel(logging.ERROR)  # "task queue depth" notices under load
    home = Path(tempfile.mkdtemp(prefix="kring-bench-http-"))
    config = load_config({"KRING_HOME": str(home), "KRING_LOG_LEVEL": "WARNING",
                          "KRING_MATTERMOST_COMMAND_TOKENS": TOKEN, "KRING_DISCOURSE_WEBHOOK_SECRET": SECRET,
                          "KRING_QUEUE_NAME": "kring-bench-http"})
    runtime = build_runtime(config)
    runtime.database.upgrade()
    with runtime.database.session() as session:
        add_community(session, platform="mattermost", group_id="benchchannel", name="Bench", language="en",
                      timezone="Europe/Amsterdam", now=runtime.clock.now())
    bare = Flask("bare")
    bare.add_url_rule("/ok", "ok", lambda: "ok", methods=["POST"])
    ids = itertools.count()

    def slash(session: requests.Session, n: int) -> requests.Response:
        return session.post(kring_url + "/mattermost/command", timeout=10, data={
            "token": TOKEN, "channel_id": "benchchannel", "user_id": "u1", "user_name": "anna", "text": "status",
            "trigger_id": f"t-{next(ids)}"})

    def webhook(session: requests.Session, n: int) -> requests.Response:
        body = f'{{"topic": {{"id": {n}, "title": "Agenda"}}}}'.encode()
        return session.post(kring_url + "/discourse/webhook", data=body, timeout=10, headers={
            "Content-Type": "application/json", "X-Discourse-Event": "topic_created",
            "X-Discourse-Event-Id": f"e-{next(ids)}",
            "X-Discourse-Event-Signature": discourse_signature(SECRET, body)})

    def ok(session: requests.Session, n: int) -> requests.Response:
        return session.post(bare_url + "/ok", timeout=10, data={"text": "status"})

    try:
        with serving(create_app(runtime=runtime)) as kring_url, serving(bare) as bare_url:
            for send in (ok, slash, webhook):  # warm up
                throughput(send, 50)
            baseline = throughput(ok, args.requests)
            base_p50, base_p99 = latencies(ok, args.requests // 2, args.rate)
            print(f"{args.requests} requests, 8 client threads; latency at {args.rate:g} requests/s\n")
            print(f"{'bare Flask return 200':38} {baseline:8.0f} req/s   p50 {base_p50 * 1e3:6.2f} ms   "
                  f"p99 {base_p99 * 1e3:6.2f} ms")
            for name, send in (("Mattermost slash command (verified)", slash),
                               ("Discourse webhook (signed, dedupe, queue)", webhook)):
                rate = throughput(send, args.requests)
                p50, p99 = latencies(send, args.requests // 2, args.rate)
                print(f"{name:38} {rate:8.0f} req/s   p50 {p50 * 1e3:6.2f} ms   p99 {p99 * 1e3:6.2f} ms   "
                      f"(throughput {rate / baseline:.2f}x, p50 {p50 / base_p50:.1f}x, p99 {p99 / base_p99:.1f}x "
                      f"the bare app)")
    finally:
        runtime.queue.empty()
        runtime.close()
        stop_embedded_redis()


if __name__ == "__main__":
    main()
