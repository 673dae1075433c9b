"""The worker's log: one line per job at INFO (RQ's other lines about it at DEBUG)."""

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
        with caplog.at_level(level, logger="rq.worker"):
            assert client.post("/mattermost/command", data=slash_command("intro", COMMAND_TOKEN)).status_code == 200
            # As `kring worker` runs it, at the configured level (the test fixture's worker logs warnings only).
            worker_for(runtime).work(burst=True, logging_level=logging.getLevelName(level))
        message_ids = [m.id for m in outbox_messages(runtime)]
        job_lines = [r for r in caplog.records if r.name == "rq.worker" and r.levelno == logging.INFO
                     and ("kring-inbound-" in r.getMessage() or "kring-outbox-" in r.getMessage())]
        assert [r.getMessage().split()[2] for r in job_lines] == [
            f"kring-inbound-{len(message_ids)}", f"kring-outbox-{message_ids[-1]}"], job_lines
        assert all("Successfully completed" in r.getMessage() for r in job_lines)
        demoted = [r for r in caplog.records if r.name == "rq.worker" and "Job OK" in r.getMessage()]
        assert len(demoted) == (2 if level == logging.DEBUG else 0)
        assert not any("result discarded" in r.getMessage() for r in caplog.records)
