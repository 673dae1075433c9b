"""Worker: the cost of one workflow step through Kring (claim the timer, load the run, interpret a
`set` step, finish the run, commit) against an empty RQ job on the same Redis, same run.

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
from plugin.queue.jobs import use_runtime
from plugin.queue.unit_of_work import unit_of_work
from plugin.redis_connection import stop_embedded_redis
from plugin.runtime import build_runtime
from plugin.storage.communities import add_community
from plugin.workflows import enablement, runs

WORKFLOW = """\
id: one-step
version: 1
title: {nl: Een stap, en: One step}
description: {nl: Meten, en: Measuring}
triggers: [{manual: true}]
steps:
  - set: {answer: "41 + 1"}
"""
EMPTY_JOB = "builtins.abs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="kring-bench-worker-"))
    config = load_config({"KRING_HOME": str(home), "KRING_LOG_LEVEL": "WARNING",
                          "KRING_QUEUE_NAME": "kring-bench-worker"})
    runtime = build_runtime(config)
    use_runtime(runtime)
    try:
        runtime.database.upgrade()
        workflow, problems = load_workflow(WORKFLOW, "one-step.yaml")
        assert workflow is not None, problems
        with runtime.database.session() as session:
            community = add_community(session, platform="mattermost", group_id="bench", name="Bench",
                                      language="en", timezone="Europe/Amsterdam", now=runtime.clock.now())
            enabled = enablement.enable(session, community, workflow, {}, "bench", runtime.clock.now())
        worker = SimpleWorker([runtime.queue], connection=runtime.redis, serializer=JSONSerializer)

        for _ in range(args.jobs):
            runtime.queue.enqueue(EMPTY_JOB, 0, result_ttl=0)
        started = time.perf_counter()
        worker.work(burst=True, logging_level="WARNING")
        empty = (time.perf_counter() - started) / args.jobs

        with unit_of_work(runtime) as session:  # each run starts with a wake timer, handed to the queue
            for _ in range(args.jobs):
                runs.start_run(session, enabled, trigger="bench", inputs={}, now=runtime.clock.now())
        started = time.perf_counter()
        worker.work(burst=True, logging_level="WARNING")
        step = (time.perf_counter() - started) / args.jobs
        print(f"database: {runtime.database.display_url}\n")
        print(f"empty RQ job:         {empty * 1e3:7.3f} ms per job")
        print(f"Kring workflow step:  {step * 1e3:7.3f} ms per step   ({step / empty:.1f}x an empty RQ job)")
    finally:
        use_runtime(None)
        runtime.close()
        stop_embedded_redis()


if __name__ == "__main__":
    main()
