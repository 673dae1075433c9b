"""Timer sweep at scale: 1,000 communities, 100,000 pending timers.

Measures, in one run and on one database (SQLite in a temporary folder, or the database named by
KRING_BENCH_DATABASE_URL, whose Kring tables it drops and recreates):
- the sweep when nothing is due, against a bare `SELECT 1` round trip (the least a sweep can cost);
- the sweep when 1 % is due, per due timer, against a bare RQ enqueue of an empty job.

Firing a due timer through to its post is measured by `bench/worker_step.py`.

    python bench/timer_sweep.py [--communities 1000] [--timers 100000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from timing import median_seconds
from worker_step import SCHEDULED_POST

from plugin.clock import VirtualClock
from plugin.config import load_config
from plugin.engine.loader import load_workflow
from plugin.queue.jobs import use_runtime
from plugin.queue.sweeper import sweep_once
from plugin.redis_connection import stop_embedded_redis
from plugin.runtime import build_runtime
from plugin.storage.models import Community, Timer, WorkflowEnablement
from plugin.storage.states import TimerKind, TimerStatus
from plugin.workflows.catalog import pin

NOW = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
#: The baseline job: RQ's own overhead and (almost) nothing else.
EMPTY_JOB = "builtins.abs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--timers", type=int, default=100_000)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="kring-bench-"))
    env = {"KRING_HOME": str(home), "KRING_LOG_LEVEL": "WARNING"}
    # Only an explicitly named database: the benchmark drops and recreates Kring's tables in it.
    if os.environ.get("KRING_BENCH_DATABASE_URL"):
        env["KRING_DATABASE_URL"] = os.environ["KRING_BENCH_DATABASE_URL"]
    if os.environ.get("KRING_BENCH_REDIS_URL"):
        env["KRING_REDIS_URL"] = os.environ["KRING_BENCH_REDIS_URL"]
    config = load_config({**env, "KRING_QUEUE_NAME": "kring-bench"})
    clock = VirtualClock(NOW)
    runtime = build_runtime(config, clock=clock)
    use_runtime(runtime)
    try:
        from plugin.storage.models import Base

        with runtime.database.engine.begin() as connection:
            Base.metadata.drop_all(connection)
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        runtime.database.upgrade()
        runtime.queue.empty()
        enablement_ids = populate(runtime, args.communities, args.timers)
        print(f"database: {runtime.database.display_url}; redis: {runtime.redis_url}")
        print(f"{args.communities} communities, {args.timers} pending timers over 18 months\n")

        def select_one() -> None:
            with runtime.database.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))

        baseline_query = median_seconds(select_one, 200)
        empty_sweep = median_seconds(lambda: sweep_once(runtime), 50)
        print(f"sweep, nothing due:     {empty_sweep * 1e3:8.3f} ms   (SELECT 1: {baseline_query * 1e3:.3f} ms, "
              f"ratio {empty_sweep / baseline_query:.1f}x)")

        due_count = make_due(runtime, enablement_ids, args.timers // 100)
        started = time.perf_counter()
        queued = 0
        while queued < due_count:  # a sweep takes at most sweeper.BATCH rows at a time
            found = sweep_once(runtime).timers
            assert found, "the due timers were not all found"
            queued += found
        swept = time.perf_counter() - started
        per_timer_sweep = swept / due_count
        runtime.queue.empty()
        started = time.perf_counter()
        for _ in range(due_count):
            runtime.queue.enqueue(EMPTY_JOB, 0, result_ttl=0)
        per_enqueue = (time.perf_counter() - started) / due_count
        print(f"sweep, 1% due:          {per_timer_sweep * 1e6:8.1f} us per due timer "
              f"(bare RQ enqueue: {per_enqueue * 1e6:.1f} us, ratio {per_timer_sweep / per_enqueue:.1f}x)")

    finally:
        use_runtime(None)
        runtime.close()
        stop_embedded_redis()


def populate(runtime, communities: int, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    workflow, problems = load_workflow(SCHEDULED_POST, "bench.yaml")
    assert workflow is not None, problems
    with runtime.database.session() as session:
        source = pin(session, workflow, NOW)
        session.execute(sa.insert(Community), [
            {"platform": "mattermost", "external_group_id": f"group-{n}", "name": f"CoP {n}", "language": "nl",
             "timezone": "Europe/Amsterdam", "meeting_cadence_weeks": 6, "run_length_months": 18,
             "openness": "closed", "created_at": NOW} for n in range(communities)])
        community_ids = list(session.scalars(sa.select(Community.id).order_by(Community.id)))
        session.execute(sa.insert(WorkflowEnablement), [
            {"community_id": c, "workflow_id": workflow.id, "workflow_version": "1", "source_id": source.id,
             "params": {}, "admins": [], "enabled": True, "enabled_at": NOW} for c in community_ids])
        enablement_ids = list(session.scalars(sa.select(WorkflowEnablement.id).order_by(WorkflowEnablement.id)))
        span = timedelta(days=548).total_seconds()
        rows = []
        for n in range(count):
            due = NOW + timedelta(hours=1, seconds=span * (n + 1) / count)
            enablement = enablement_ids[n % len(enablement_ids)]
            rows.append({"key": f"bench:{n}", "community_id": community_ids[n % len(community_ids)],
                         "kind": TimerKind.TRIGGER, "status": TimerStatus.PENDING, "due_at": due, "visible_at": due,
                         "enablement_id": enablement, "payload": {"trigger": 0}, "attempts": 0})
        for start in range(0, len(rows), 10_000):
            session.execute(sa.insert(Timer), rows[start:start + 10_000])
    return enablement_ids


def make_due(runtime, enablement_ids: list[int], count: int) -> int:  # type: ignore[no-untyped-def]
    with runtime.database.session() as session:
        ids = list(session.scalars(sa.select(Timer.id).order_by(Timer.id).limit(count)))
        session.execute(sa.update(Timer).where(Timer.id.in_(ids)).values(due_at=NOW, visible_at=NOW))
    return len(ids)


if __name__ == "__main__":
    main()
