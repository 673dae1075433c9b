"""Fault injection on real processes: a worker killed (SIGKILL) in the middle of delivering a post, the
queue flushed, the web process restarted, webhooks delivered twice and out of order — and afterwards
every expected post exists exactly once."""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests
import sqlalchemy as sa
from rq import Queue
from rq.registry import StartedJobRegistry

from plugin.demo.standin import StandInPlatform
from tests.conftest import COMMAND_TOKEN, WEBHOOK_SECRET
from tests.support.cli import KRING, run, start_serve
from tests.support.payloads import CHANNEL_ID, discourse_delivery, slash_command
from tests.support.waiting import wait_for, wait_until_idle
from tests.workflows.conftest import workflow

#: Seconds a worker holds a post before another may take it over (short, so a killed one is soon redone).
LEASE = 2


class Processes:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.url = ""  # a new port each time the web process starts
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def start_web(self) -> None:
        self.web, self.url = start_serve(self.env)
        wait_for(lambda: requests.get(self.url + "/healthz", timeout=1).status_code == 200, "the web process")

    def start_worker(self) -> None:
        self.worker = subprocess.Popen([*KRING, "worker"], env=self.env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)

    def stop(self, process: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM) -> None:
        if process is not None and process.poll() is None:
            process.send_signal(sig)
            process.wait(timeout=15)


@pytest.fixture
def processes(process_env: dict[str, str]) -> Iterator[Processes]:
    env = {**process_env, "KRING_LEASE_SECONDS": str(LEASE), "KRING_SWEEP_INTERVAL": "0.2"}
    assert run(["db", "upgrade"], env).returncode == 0
    assert run(["community", "add", "--platform", "mattermost", "--group", CHANNEL_ID, "--name", "CoP",
                "--admin", "user-anna"], env).returncode == 0  # the member who asks for the intro
    running = Processes(env)
    yield running
    running.stop(running.worker)
    running.stop(running.web)


def count_rows(env: dict[str, str], sql: str) -> int:
    engine = sa.create_engine(env["KRING_DATABASE_URL"])
    with engine.connect() as connection:
        value = int(connection.execute(sa.text(sql)).scalar_one())
    engine.dispose()
    return value


def test_killed_worker_flushed_queue_and_restarted_web_lose_and_double_nothing(
        processes: Processes, platform: StandInPlatform) -> None:
    env = processes.env
    processes.start_web()
    processes.start_worker()
    platform.fail_next(503, delay=3, path="/api/v4/posts")  # the platform is slow: the worker is mid-call
    intro = requests.post(processes.url + "/mattermost/command", data=slash_command("intro", COMMAND_TOKEN),
                          timeout=5)
    assert intro.status_code == 200
    wait_for(lambda: count_rows(env, "SELECT count(*) FROM outbox WHERE status = 'sending'") == 1,
             "the worker to be delivering")
    processes.stop(processes.worker, signal.SIGKILL)  # killed in the middle of the step

    Queue(env["KRING_QUEUE_NAME"], connection=redis.Redis.from_url(env["KRING_REDIS_URL"])).empty()
    processes.stop(processes.web)  # the web process restarts
    processes.start_web()
    for event_id in ("evt-2", "evt-1", "evt-1", "evt-2"):  # twice each, out of order
        data, headers = discourse_delivery("topic_created", {"topic": {"id": 5}}, event_id, WEBHOOK_SECRET)
        assert requests.post(processes.url + "/discourse/webhook", data=data, headers=headers,
                             timeout=5).status_code == 200
    processes.start_worker()

    wait_for(lambda: len(platform.posts()) == 1, "the introduction to be posted after the restart")
    wait_for(lambda: count_rows(env, "SELECT count(*) FROM inbound_event WHERE status = 'done'") == 3,
             "every event to be handled")
    wait_until_idle(env, settle_seconds=LEASE + 1)  # a lease and several sweeps later: nothing is sent again
    posts = platform.posts()
    assert len(posts) == 1 and "eight steps" in json.dumps(posts[0].body)
    assert count_rows(env, "SELECT count(*) FROM outbox WHERE status = 'sent'") == 1
    assert count_rows(env, "SELECT max(attempts) FROM outbox") == 2  # the killed attempt, then the one that sent
    assert count_rows(env, "SELECT count(*) FROM inbound_event WHERE platform = 'discourse'") == 2


def test_a_digest_whose_worker_is_killed_mid_delivery_goes_out_once(processes: Processes,
                                                                    platform: StandInPlatform) -> None:
    env = processes.env
    assert run(["member", "add", "--community", "1", "--user", "user-admin", "--name", "Admin", "--username",
                "admin", "--role", "admin"], env).returncode == 0
    processes.start_web()
    processes.start_worker()
    platform.fail_next(503, delay=3, path="/api/v4/posts")  # slow: the worker is mid-call with the digest
    sent = requests.post(processes.url + "/mattermost/command", timeout=5,
                         data=slash_command("digest send field", COMMAND_TOKEN, user="admin"))
    assert "goes to 1 recipient;" in sent.json()["text"]
    wait_for(lambda: count_rows(env, "SELECT count(*) FROM outbox WHERE status = 'sending'") == 1,
             "the worker to be delivering the digest")
    processes.stop(processes.worker, signal.SIGKILL)
    Queue(env["KRING_QUEUE_NAME"], connection=redis.Redis.from_url(env["KRING_REDIS_URL"])).empty()
    processes.start_worker()
    wait_for(lambda: len(platform.posts()) == 1, "the digest to be posted after the restart")
    wait_until_idle(env, settle_seconds=LEASE + 1)  # a lease and several sweeps later: nothing is sent again
    [post] = platform.posts()
    assert post.body["message"].startswith("#### Results of CoP for the field")
    assert count_rows(env, "SELECT count(*) FROM digest") == 1
    assert count_rows(env, "SELECT count(*) FROM digest_delivery") == 1
    assert count_rows(env, "SELECT count(*) FROM outbox WHERE operation = 'digest' AND status = 'sent'") == 1
    assert count_rows(env, "SELECT max(attempts) FROM outbox") == 2


def test_a_post_the_platform_made_before_the_worker_was_killed_is_not_made_again(
        processes: Processes, platform: StandInPlatform) -> None:
    """The dangerous window: Mattermost stored the post, and the worker died before it marked it sent.
    The next attempt finds the post by Kring's key among the channel's latest posts (the server's own
    pending_post_id deduplication lasts about 30 s, shorter than a real lease) and records it."""
    env = processes.env
    processes.start_web()
    processes.start_worker()
    platform.pending_post_seconds = LEASE / 2  # as with a real lease (120 s), the server forgot the repeat's id
    platform.fail_next(201, delay=5, path="/api/v4/posts", done_first=True)  # stored now, answered late
    intro = requests.post(processes.url + "/mattermost/command", data=slash_command("intro", COMMAND_TOKEN),
                          timeout=5)
    assert intro.status_code == 200
    wait_for(lambda: len(platform.posts()) == 1, "the platform to store the introduction")
    assert count_rows(env, "SELECT count(*) FROM outbox WHERE status = 'sending'") == 1  # not yet marked sent
    processes.stop(processes.worker, signal.SIGKILL)
    Queue(env["KRING_QUEUE_NAME"], connection=redis.Redis.from_url(env["KRING_REDIS_URL"])).empty()
    processes.start_worker()
    wait_for(lambda: count_rows(env, "SELECT count(*) FROM outbox WHERE status = 'sent'") == 1,
             "the introduction to be marked sent after the restart")
    wait_until_idle(env, settle_seconds=LEASE + 1)
    [post] = platform.posts()
    assert "eight steps" in json.dumps(post.body)
    looked = [r for r in platform.requests if r.method == "GET" and r.path == f"/api/v4/channels/{CHANNEL_ID}/posts"]
    assert looked  # the second attempt looked first
    assert count_rows(env, "SELECT max(attempts) FROM outbox") == 2


def test_a_worker_killed_inside_a_timers_transaction_leaves_it_to_be_done_once(
        processes: Processes, platform: StandInPlatform, tmp_path: Path) -> None:
    """The timer's claim and its effects commit together: a worker SIGKILLed while its transaction is
    open (held at a lock the test takes) leaves the timer pending, and the next worker does it once."""
    folder = tmp_path / "flows"
    folder.mkdir()
    (folder / "once.yaml").write_text(workflow("once", "triggers: [{manual: true}]\nsteps:\n"
                                                       "  - post: {text: {nl: precies één keer, en: exactly once}}\n"),
                                      "utf-8")
    env = processes.env = {**processes.env, "KRING_WORKFLOW_PATH": str(folder)}
    processes.start_web()
    for command in ("enable once", "run once"):
        answer = requests.post(processes.url + "/mattermost/command", timeout=5,
                               data=slash_command(command, COMMAND_TOKEN, user="anna"))
        assert answer.status_code == 200 and "Only admins" not in answer.json()["text"]
    engine = sa.create_engine(env["KRING_DATABASE_URL"])
    queue = Queue(env["KRING_QUEUE_NAME"], connection=redis.Redis.from_url(env["KRING_REDIS_URL"]))
    with engine.connect() as holder:  # writes wait for the test: the worker's transaction stays open
        holder.exec_driver_sql("BEGIN IMMEDIATE" if engine.dialect.name == "sqlite" else "BEGIN")
        if engine.dialect.name == "postgresql":
            holder.exec_driver_sql("LOCK TABLE outbox IN EXCLUSIVE MODE")  # the post the step makes
        processes.start_worker()
        wait_for(lambda: StartedJobRegistry(queue=queue).get_job_ids() != [], "the worker to take the timer")
        if engine.dialect.name == "postgresql":
            wait_for(lambda: count_rows(env, "SELECT count(*) FROM pg_locks WHERE NOT granted") >= 1,
                     "the worker to wait for the outbox inside the timer's transaction")
        processes.stop(processes.worker, signal.SIGKILL)
        holder.rollback()
    engine.dispose()
    assert count_rows(env, "SELECT count(*) FROM outbox") == 0
    assert count_rows(env, "SELECT count(*) FROM timer WHERE key LIKE 'run%\\:start' AND status = 'pending'") == 1
    queue.empty()
    processes.start_worker()
    wait_for(lambda: len(platform.posts()) == 1, "the timer to be done by the next worker")
    wait_until_idle(env, settle_seconds=LEASE + 1)
    [post] = platform.posts()
    assert post.body["message"] == "exactly once"
    assert count_rows(env, "SELECT count(*) FROM workflow_run WHERE status = 'done'") == 1
