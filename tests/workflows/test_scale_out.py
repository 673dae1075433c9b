"""Several `kring serve` and `kring worker` processes on one PostgreSQL, under load and faults: a worker
killed (SIGKILL) while the platform is slow, a web process killed and started again, Redis flushed,
the platform answering 500 and then 429 for a while. Afterwards every expected post exists once,
journal numbers are unique, no process met a deadlock, and the poll that everyone voted in closed
without waiting for its deadline. The time the cluster takes to drain after the load is printed."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
import requests
import sqlalchemy as sa

from plugin.demo.standin import StandInPlatform
from plugin.engine.journal import EntryKind
from plugin.runtime import Runtime
from plugin.storage.communities import add_community
from plugin.storage.models import InboundEvent, JournalEntry, Member, OutboxMessage, Poll
from plugin.storage.states import EventStatus, MemberRole, OutboxStatus, PollStatus
from tests.conftest import COMMAND_TOKEN
from tests.support.cli import KRING
from tests.support.payloads import CHANNEL_ID, slash_command
from tests.support.services import free_port
from tests.support.waiting import wait_for
from tests.workflows.conftest import workflow

pytestmark = pytest.mark.postgres
MEMBERS = [f"m{n}" for n in range(10)]
SIGNALS_EACH, INTROS = 6, 8
PULSE = workflow("pulse", """\
    triggers: [{manual: true}]
    steps:
      - poll: {id: score, question: {nl: "Hoe?", en: "How was it?"}, scale: 5, closes_after: 5d}
      - post: {text: {nl: "x", en: "pulse closed: {{ score.votes }} of {{ score.eligible }} voted"}}
    """)


class Cluster:
    """Kring's processes, each logging to its own file."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.processes: list[subprocess.Popen[bytes]] = []
        self.ports: list[int] = []

    def start(self, *argv: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{argv[0]}-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen([*KRING, *argv], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def web(self, *options: str, port: int | None = None) -> subprocess.Popen[bytes]:
        port = port or free_port()
        process = self.start("serve", "--port", str(port), *options)
        healthz = f"http://127.0.0.1:{port}/healthz"
        wait_for(lambda: requests.get(healthz, timeout=1).status_code == 200, "a web process")
        if port not in self.ports:
            self.ports.append(port)
        return process

    def command(self, number: int, command_text: str, user: str) -> None:
        """As the platform sends a command: to any web process, and once more if that one is down (a proxy
        passes a refused connection on to the next)."""
        for attempt in range(len(self.ports)):
            port = self.ports[(number + attempt) % len(self.ports)]
            try:
                answer = requests.post(f"http://127.0.0.1:{port}/mattermost/command",
                                       data=slash_command(command_text, COMMAND_TOKEN, user=user), timeout=30)
            except requests.ConnectionError:
                continue
            assert answer.status_code == 200, answer.text
            return
        raise AssertionError(f"no web process took {command_text!r}")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            process.wait(timeout=20)

    def log_text(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.logs.glob("*.log")))


@pytest.fixture
def cluster(env: dict[str, str], tmp_path: Path) -> Iterator[Cluster]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KRING_")}
    running = Cluster({**clean, **env, "KRING_LEASE_SECONDS": "3", "KRING_SWEEP_INTERVAL": "0.3"}, tmp_path)
    yield running
    running.stop()


def idle(runtime: Runtime) -> bool:
    with runtime.database.session() as session:
        unsent = session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status != OutboxStatus.SENT))
        open_events = session.scalar(sa.select(sa.func.count()).select_from(InboundEvent).where(
            InboundEvent.status != EventStatus.DONE))
    return unsent == 0 and open_events == 0 and runtime.queue.count == 0


def test_two_web_processes_and_three_workers_under_load_and_faults(
        runtime: Runtime, cluster: Cluster, platform: StandInPlatform, workflow_dir: Path) -> None:
    (workflow_dir / "pulse.yaml").write_text(PULSE, encoding="utf-8")
    with runtime.database.session() as session:
        community = add_community(session, platform="mattermost", group_id=CHANNEL_ID, name="CoP", language="en",
                                  timezone="Europe/Amsterdam", now=runtime.clock.now())
        session.add_all([Member(community_id=community.id, platform_user_id=f"user-{name}", username=name,
                                name=name.upper(), joined_at=runtime.clock.now(),
                                role=MemberRole.ADMIN if name == "m0" else MemberRole.MEMBER) for name in MEMBERS])
    cluster.web("--processes", "2")  # one port, two processes
    restarted = cluster.web()
    workers = [cluster.start("worker") for _ in range(3)]
    cluster.command(0, "enable pulse", "m0")
    platform.fail_next(503, delay=2, path="/api/v4/posts")  # slow: a worker is in the middle of a post
    platform.fail_next(500, times=3, path="/api/v4/posts")
    platform.fail_next(429, times=2, headers={"Retry-After": "1"}, path="/api/v4/posts")

    work = [(f"signal Dikes rising, seen by {name} ({n})", name) for n in range(SIGNALS_EACH) for name in MEMBERS]
    work += [("intro", MEMBERS[n % len(MEMBERS)]) for n in range(INTROS)]
    half = len(work) // 2
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda item: cluster.command(*item), [(n, *item) for n, item in enumerate(work[:half])]))
        workers[0].send_signal(signal.SIGKILL)  # a worker dies with whatever it held
        restarted.send_signal(signal.SIGKILL)  # and a web process
        redis.Redis.from_url(cluster.env["KRING_REDIS_URL"]).flushdb()  # and the queue is lost
        faults_at = time.monotonic()
        list(pool.map(lambda item: cluster.command(*item),
                      [(n, *item) for n, item in enumerate(work[half:], start=half)]))
        cluster.start("worker")
        cluster.web(port=cluster.ports[1])
        cluster.command(1, "run pulse", "m0")
        wait_for(lambda: poll_id(runtime) is not None, "the poll", seconds=60)
        ref = poll_id(runtime)
        list(pool.map(lambda n: cluster.command(n, f"vote {ref} {1 + n % 5}", MEMBERS[n]), range(len(MEMBERS))))
    load_ended = time.monotonic()
    wait_for(lambda: idle(runtime) and poll_status(runtime) == PollStatus.CLOSED, "the cluster to finish", seconds=120)
    drained = time.monotonic()
    print(f"drained {drained - faults_at:.1f} s after the faults, {drained - load_ended:.1f} s after the load")

    texts = [str(p.body.get("message", "")) for p in platform.posts()]
    assert sum("eight steps" in t for t in texts) == INTROS  # each introduction exactly once
    assert texts.count(f"pulse closed: {len(MEMBERS)} of {len(MEMBERS)} voted") == 1  # closed once all voted
    assert sum(t.startswith("**How was it?**") or "How was it?" in t for t in texts) == 1
    with runtime.database.session() as session:
        numbers = list(session.scalars(sa.select(JournalEntry.number).where(JournalEntry.kind == EntryKind.SIGNAL)))
    assert sorted(numbers) == list(range(1, SIGNALS_EACH * len(MEMBERS) + 1))
    assert "deadlock" not in cluster.log_text().lower()


def poll_id(runtime: Runtime) -> int | None:
    with runtime.database.session() as session:
        return session.scalar(sa.select(Poll.id))


def poll_status(runtime: Runtime) -> PollStatus | None:
    with runtime.database.session() as session:
        return session.scalar(sa.select(Poll.status))
