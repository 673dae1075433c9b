"""The worker's log: one line per job at INFO (RQ's other lines about it at DEBUG), and one per unit of
work a job's continuation carried out after it."""

from __future__ import annotations

import logging

import pytest
from flask.testing import FlaskClient

from plugin.queue.worker import worker_for
from plugin.runtime import Runtime
from tests.conftest import COMMAND_TOKEN
from tests.support.payloads import CHANNEL_ID, slash_command
from tests.support.records import make_community, outbox_messages


def test_a_job_is_one_line_at_info_and_more_at_debug(client: FlaskClient, runtime: Runtime,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    make_community(runtime, "mattermost", CHANNEL_ID, members=("anna",))
    for level in (logging.INFO, logging.DEBUG):
        caplog.clear()
        with caplog.at_level(level, logger="rq.worker"), \
                caplog.at_level(level, logger="plugin.queue.continuation"):
            assert client.post("/mattermost/command", data=slash_command("intro", COMMAND_TOKEN)).status_code == 200
            # As `kring worker` runs it, at the configured level (the test fixture's worker logs warnings only).
            worker_for(runtime).work(burst=True, logging_level=logging.getLevelName(level))
        message_ids = [m.id for m in outbox_messages(runtime)]
        job_lines = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO
                     and r.name in ("rq.worker", "plugin.queue.continuation")
                     and ("kring-inbound-" in r.getMessage() or "kring-outbox-" in r.getMessage())]
        inbound, outbox = f"kring-inbound-{len(message_ids)}", f"kring-outbox-{message_ids[-1]}"
        # The command's job, then the post it created, delivered by the same worker right after it.
        assert [line.split()[:2] for line in job_lines] == [["Successfully", "completed"], ["Completed", outbox]]
        assert job_lines[0].split()[2] == inbound
        assert job_lines[1].startswith(f"Completed {outbox} after job {inbound} in "), job_lines
        demoted = [r for r in caplog.records if r.name == "rq.worker" and "Job OK" in r.getMessage()]
        assert len(demoted) == (1 if level == logging.DEBUG else 0)  # one RQ job
        assert not any("result discarded" in r.getMessage() for r in caplog.records)
