"""`kring serve --processes N`: several web processes on one port, a killed one replaced, all stopped by
one SIGTERM; and a supervisor whose processes keep failing at start gives up instead of looping."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import requests

from plugin.cli.prefork import QUICK_DEATHS_ALLOWED
from tests.support.cli import KRING, run
from tests.support.waiting import wait_for


def children(pid: int) -> set[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout
    return {int(line) for line in found.split()}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_web_processes_share_a_port_a_killed_one_is_replaced_and_sigterm_stops_all(
        process_env: dict[str, str], tmp_path: Path) -> None:
    assert run(["db", "upgrade"], process_env).returncode == 0
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen([*KRING, "serve", "--port", "0", "--processes", "2"], env=process_env,
                             stdout=subprocess.PIPE, stderr=log)
    try:
        assert serve.stdout is not None
        first_line = serve.stdout.readline().decode()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+) \(2 processes", first_line)
        assert match, first_line
        url = match.group(1)
        wait_for(lambda: len(children(serve.pid)) == 2, "two web processes")
        wait_for(lambda: requests.get(url + "/healthz", timeout=2).status_code == 200, "the web processes")
        assert all(requests.get(url + "/healthz", timeout=5).status_code == 200 for _ in range(30))

        killed = min(children(serve.pid))
        os.kill(killed, signal.SIGKILL)
        assert all(requests.get(url + "/healthz", timeout=5).status_code == 200 for _ in range(20))  # the other one
        wait_for(lambda: len(children(serve.pid)) == 2 and killed not in children(serve.pid), "a replacement")
        assert requests.get(url + "/healthz", timeout=5).status_code == 200
        running = children(serve.pid)

        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=20) == 0
        wait_for(lambda: not any(alive(pid) for pid in running), "every web process to end")
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
    text = (tmp_path / "serve.log").read_text()
    assert f"web process {killed} ended (killed by SIGKILL); starting another" in text


#: A supervisor whose processes fail at once, run apart from the test process (its forked children write
#: to the real stderr, not to pytest's capture).
FAILING_SUPERVISOR = """
from plugin.cli.prefork import Supervisor, listening_socket

def failing(_sock):
    raise RuntimeError("Redis at 127.0.0.1:1 refused the connection")

raise SystemExit(Supervisor(listening_socket("127.0.0.1", 0), 2, failing).run())
"""


def test_processes_that_keep_failing_at_start_are_not_restarted_for_ever() -> None:
    result = subprocess.run([sys.executable, "-c", FAILING_SUPERVISOR], capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 1
    assert result.stderr.count("failed: Redis at 127.0.0.1:1 refused the connection") >= QUICK_DEATHS_ALLOWED
    assert "keep ending at start (exit code 1); see above. Stopping." in result.stderr
