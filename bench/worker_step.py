"""Worker: what Kring's worker (`kring worker`) spends beyond RQ's own work, against an empty RQ job on a
plain RQ worker, same Redis, same run.

- a workflow step: claim the wake timer, load the run, interpret a `set` step, finish the run, commit;
- fire → run → post: a due schedule trigger starts a run, whose step posts a message, delivered to the
  platform (a counting stand-in). Once three RQ jobs; now one, whose continuation carries out the
  rest (see `plugin/queue/continuation.py`).

    python bench/worker_step.py [--jobs 1000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from rq import SimpleWorker
from rq.serializers import JSONSerializer

from plugin.config import load_config
from plugin.engine.loader import load_workflow
from plugin.platforms.base import OutboundPost, PostedMessage
from plugin.queue.jobs import use_runtime
from plugin.queue.unit_of_work import unit_of_work
from plugin.queue.worker import worker_for
from plugin.redis_connection import stop_embedded_redis
from plugin.runtime import Runtime, build_runtime
from plugin.storage import timers
from plugin.storage.communities import add_community
from plugin.storage.models import WorkflowEnablement
from plugin.storage.states import TimerKind
from plugin.workflows import enablement, runs

ONE_STEP = """\
id: one-step
version: 1
title: {nl: Een stap, en: One step}
description: {nl: Meten, en: Measuring}
triggers: [{manual: true}]
steps:
  - set: {answer: "41 + 1"}
"""
SCHEDULED_POST = """\
id: scheduled-post
version: 1
title: {nl: Bericht, en: Post}
description: {nl: Meten, en: Measuring}
triggers: [{schedule: {cron: "0 9 * * *"}}]
steps:
  - post: {text: {nl: "hallo {{ community.name }}", en: "hello {{ community.name }}"}}
"""
EMPTY_JOB = "builtins.abs"


class CountingPlatform:
    def __init__(self) -> None:
        self.posts = 0

    def post(self, post: OutboundPost, idempotency_key: str) -> PostedMessage:
        self.posts += 1
        return PostedMessage(post_id=str(self.posts), thread_id=None)


def enabled(runtime: Runtime, source: str, group: str) -> WorkflowEnablement:
    workflow, problems = load_workflow(source, "bench.yaml")
    assert workflow is not None, problems
    with runtime.database.session() as session:
        community = add_community(session, platform="mattermost", group_id=group, name="Bench", language="en",
                                  timezone="Europe/Amsterdam", now=runtime.clock.now())
        return enablement.enable(session, community, workflow, {}, "bench", runtime.clock.now())


def per_job(work: SimpleWorker, count: int) -> float:
    started = time.perf_counter()
    work.work(burst=True, logging_level="WARNING")
    return (time.perf_counter() - started) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="kring-bench-worker-"))
    config = load_config({"KRING_HOME": str(home), "KRING_LOG_LEVEL": "WARNING",
                          "KRING_QUEUE_NAME": "kring-bench-worker"})
    runtime = build_runtime(config)
    platform = CountingPlatform()
    runtime.connector("mattermost").outbound = platform  # type: ignore[assignment]
    use_runtime(runtime)
    try:
        runtime.database.upgrade()
        plain = SimpleWorker([runtime.queue], connection=runtime.redis, serializer=JSONSerializer)
        for _ in range(args.jobs):
            runtime.queue.enqueue(EMPTY_JOB, 0, result_ttl=0)
        empty = per_job(plain, args.jobs)

        one_step = enabled(runtime, ONE_STEP, "bench-step")
        with unit_of_work(runtime) as session:  # each run starts with a wake timer, handed to the queue
            for _ in range(args.jobs):
                runs.start_run(session, one_step, trigger="bench", inputs={}, now=runtime.clock.now())
        step = per_job(worker_for(runtime), args.jobs)

        scheduled = enabled(runtime, SCHEDULED_POST, "bench-post")
        now = runtime.clock.now()
        with unit_of_work(runtime) as session:  # due triggers, as the sweeper finds them
            for n in range(args.jobs):
                timers.add_timer(session, key=f"bench-trigger:{n}", community_id=scheduled.community_id,
                                 kind=TimerKind.TRIGGER, due_at=now, now=now, enablement_id=scheduled.id,
                                 payload={"trigger": 0})
        posted = per_job(worker_for(runtime), args.jobs)
        assert platform.posts == args.jobs, f"{platform.posts} posts for {args.jobs} triggers"
        print(f"database: {runtime.database.display_url}; {args.jobs} jobs each\n")
        print(f"empty RQ job (plain RQ worker):     {empty * 1e3:7.3f} ms per job")
        print(f"Kring workflow step:                {step * 1e3:7.3f} ms per step     ({step / empty:.1f}x an empty "
              f"RQ job)")
        print(f"Kring fire -> run -> post:          {posted * 1e3:7.3f} ms per trigger  ({posted / empty:.1f}x an "
              f"empty RQ job; {platform.posts} posts)")
    finally:
        use_runtime(None)
        runtime.close()
        stop_embedded_redis()


if __name__ == "__main__":
    main()
