"""The `kring` command as an operator runs it: real processes, real HTTP, real worker."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import requests

from plugin.demo.standin import StandInPlatform
from tests.conftest import COMMAND_TOKEN
from tests.support.cli import KRING, run, start_serve
from tests.support.payloads import CHANNEL_ID, slash_command
from tests.support.waiting import wait_for, wait_until_idle


def test_invalid_configuration_exits_2_naming_the_variable(process_env: dict[str, str]) -> None:
    result = run(["config"], {**process_env, "KRING_LANGUAGE": "fr"})
    assert result.returncode == 2
    assert "KRING_LANGUAGE: expected one of nl, en, got 'fr'" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_masks_secrets(process_env: dict[str, str]) -> None:
    result = run(["config"], process_env)
    assert result.returncode == 0
    assert "KRING_MATTERMOST_BOT_TOKEN" in result.stdout
    assert "test-bot-token" not in result.stdout
    assert COMMAND_TOKEN not in result.stdout


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["worker", "--burst"], ["community", "list"]])
def test_an_unmigrated_database_is_refused(process_env: dict[str, str], command: list[str]) -> None:
    result = run(command, process_env)
    assert result.returncode == 2
    assert "Run `kring db upgrade` first." in result.stderr


def test_db_upgrade_then_status(process_env: dict[str, str]) -> None:
    from plugin.storage.database import Database

    head = Database(process_env["KRING_DATABASE_URL"]).head_revision()
    assert run(["db", "status"], process_env).returncode == 1
    upgraded = run(["db", "upgrade"], process_env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"empty -> {head}" in upgraded.stdout
    status = run(["db", "status"], process_env)
    assert status.returncode == 0
    assert f"at {head}, needs {head}" in status.stdout


def test_community_add_and_list(process_env: dict[str, str]) -> None:
    run(["db", "upgrade"], process_env)
    added = run(["community", "add", "--platform", "mattermost", "--group", CHANNEL_ID, "--name", "CoP Energie",
                 "--language", "nl", "--start", "2027-01-12"], process_env)
    assert added.returncode == 0, added.stderr
    again = run(["community", "add", "--platform", "mattermost", "--group", CHANNEL_ID, "--name", "x"], process_env)
    assert again.returncode == 1
    assert "already a Kring community" in again.stderr
    listed = run(["community", "list"], process_env)
    assert f"mattermost\t{CHANNEL_ID}\tnl\tCoP Energie" in listed.stdout


@pytest.fixture
def services(process_env: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """`kring serve` and `kring worker` as separate processes; yields the base URL and their env."""
    assert run(["db", "upgrade"], process_env).returncode == 0
    serve, base = start_serve(process_env)
    started = [serve, subprocess.Popen([*KRING, "worker"], env=process_env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)]
    try:
        wait_for(lambda: requests.get(base + "/healthz", timeout=1).status_code == 200, "serve to answer")
        yield base, process_env
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def exchange(base: str, platform: StandInPlatform, env: dict[str, str]) -> None:
    help_answer = requests.post(base + "/mattermost/command", data=slash_command("help", COMMAND_TOKEN), timeout=5)
    assert help_answer.status_code == 200
    assert "/cop status" in help_answer.json()["text"]
    refused = requests.post(base + "/mattermost/command", data=slash_command("help", "wrong"), timeout=5)
    assert refused.status_code == 401
    intro = requests.post(base + "/mattermost/command", data=slash_command("intro", COMMAND_TOKEN), timeout=5)
    assert intro.status_code == 200
    wait_for(lambda: len(platform.posts()) == 1, "the worker to post the introduction")
    wait_until_idle(env, settle_seconds=1.0)  # several sweeps later: posted once
    assert len(platform.posts()) == 1


def test_serve_and_worker_processes_on_a_shared_redis(services: tuple[str, dict[str, str]],
                                                      platform: StandInPlatform) -> None:
    base, env = services
    exchange(base, platform, env)


@pytest.fixture
def embedded_env(process_env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in process_env.items() if k != "KRING_REDIS_URL"}


def _running_redis_servers(home: str) -> set[int]:
    """The embedded Redis servers of the installation in ``home`` (each runs in its folder): another test
    run on the machine (CI runs the SQLite and PostgreSQL passes side by side) has servers of its own."""
    return {p.pid for p in psutil.process_iter(["name", "status", "cwd"])
            if p.info["name"] == "redis-server" and p.info["status"] != psutil.STATUS_ZOMBIE
            and p.info["cwd"] == home}


def test_serve_and_worker_share_the_embedded_redis(embedded_env: dict[str, str], platform: StandInPlatform) -> None:
    """Both processes use one embedded server, which stops when the last of them leaves."""
    assert run(["db", "upgrade"], embedded_env).returncode == 0
    home = os.path.realpath(embedded_env["KRING_HOME"])
    serve, base = start_serve(embedded_env)
    try:
        wait_for(lambda: requests.get(base + "/healthz", timeout=1).status_code == 200, "serve to answer")
        assert len(_running_redis_servers(home)) == 1
        worker = subprocess.Popen([*KRING, "worker"], env=embedded_env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            exchange(base, platform, embedded_env)
        finally:
            worker.terminate()
            worker.wait(timeout=15)
    finally:
        serve.terminate()
        serve.wait(timeout=15)
    wait_for(lambda: not _running_redis_servers(home), "the embedded Redis to stop")


@pytest.mark.own_database
def test_demo_runs_with_no_configuration(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KRING_")}
    result = subprocess.run([*KRING, "demo", "--out", str(tmp_path / "tour")], env=clean, cwd=tmp_path,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    transcript = result.stdout
    assert "/cop help" in transcript
    assert "Did you mean `/cop status`?" in transcript
    assert "Kring bot on Mattermost:  [posted in the channel]" in transcript
    assert "Kring bot on Discourse:   [posted in topic 42]" in transcript
    assert "HTTP 200 duplicate" in transcript
    assert transcript.count("[posted in") == 4
    assert "Kring bot on Mattermost:  [posted in a thread]" in transcript  # the domain-definition questions
    # A speaker's label and what they say never run together ("Kring (to the channel)Workflow…").
    assert re.search(r"^Kring, to the channel: +\S", transcript, re.MULTILINE)
    assert "answers recorded: Bram 3" in transcript  # Bram's reply in the thread, by outgoing webhook
    # Part 2: the guided tour of the toolbox, twelve meetings of a simulated CoP, step by step.
    for step in ("Step 1 — Define the question", "Step 2 — Compose the group", "Step 3 — Secure impact",
                 "Step 4 — Two or rotating facilitators", "Step 5 — Group responsibility", "Step 6 — Monitoring",
                 "Step 7 — Experimenting", "Step 8 — Communicating"):
        assert step in transcript
    assert "Size: 20 members (aim: 20) — good" in transcript
    assert "    12. content: " in transcript and "    13. content: " not in transcript
    assert re.search(r"Evaluation per meeting: 1: (\d\.\d|\d) of 5, ", transcript) and ", 12: " in transcript
    assert "2. Sloopbedrijf Hergebruik + Woonstichting Thuis: Gezamenlijke inkoop" in transcript
    assert "personal highlights (private: only counted)" in transcript
    assert "digests built for 10 audiences" in transcript
    assert (tmp_path / "tour" / "transcript.txt").exists()
    assert "Traceback" not in result.stderr
    assert not (tmp_path / ".kring").exists()
