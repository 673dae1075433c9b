"""What the README promises an operator, run as the operator runs it: log settings, several workflow
folders, `kring manifest --check`, `kring listen discourse`, the demo's options and `kring outbox`."""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from plugin.cli import main
from plugin.config import load_config
from plugin.cop.calendar_feed import feed_path
from plugin.storage import outbox
from plugin.storage.communities import add_community
from plugin.storage.database import Database
from plugin.storage.models import OutboxMessage
from plugin.storage.states import OutboxStatus
from tests.support.cli import KRING, run
from tests.support.waiting import wait_for
from tests.workflows.conftest import workflow


def test_log_format_and_level_are_in_effect(process_env: dict[str, str]) -> None:
    assert run(["db", "upgrade"], process_env).returncode == 0
    as_json = run(["worker", "--burst"], {**process_env, "KRING_LOG_FORMAT": "json"})
    lines = [json.loads(line) for line in as_json.stderr.splitlines()]
    assert lines and all(set(line) >= {"time", "level", "logger", "message", "request_id"} for line in lines)
    assert any(line["logger"] == "rq.worker" and line["level"] == "INFO" for line in lines)
    as_text = run(["worker", "--burst"], {**process_env, "KRING_LOG_FORMAT": "text"}).stderr.splitlines()
    assert as_text and all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ [\w.]+: ", line) for line in as_text)
    quiet = run(["worker", "--burst"], {**process_env, "KRING_LOG_LEVEL": "WARNING"})
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_workflows_are_read_from_every_folder_of_the_workflow_path(process_env: dict[str, str],
                                                                   tmp_path: Path) -> None:
    first, second = tmp_path / "ours", tmp_path / "theirs"
    for folder, name in ((first, "greeting"), (second, "farewell")):
        folder.mkdir()
        (folder / f"{name}.yaml").write_text(workflow(name, "steps:\n  - post: {text: {nl: a, en: b}}\n"), "utf-8")
    result = run(["validate", "--format", "json"], {**process_env, "KRING_WORKFLOW_PATH": f"{first}:{second}"})
    assert result.returncode == 0, result.stdout
    assert {"greeting", "farewell"} <= set(json.loads(result.stdout)["valid"])
    missing = run(["validate"], {**process_env, "KRING_WORKFLOW_PATH": f"{first}:{tmp_path / 'nowhere'}"})
    assert missing.returncode == 2 and f"KRING_WORKFLOW_PATH: {tmp_path / 'nowhere'} is not a folder" in missing.stderr


def test_manifest_check_says_whether_manifest_json_is_current(process_env: dict[str, str]) -> None:
    result = run(["manifest", "--check"], process_env)
    assert result.returncode == 0 and result.stdout.strip().endswith("manifest.json is up to date")


def test_kring_listen_discourse_notes_where_the_forum_is_and_stops_on_sigterm(process_env: dict[str, str]) -> None:
    assert run(["db", "upgrade"], process_env).returncode == 0
    listening = subprocess.Popen([*KRING, "listen", "discourse"], env=process_env, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
    engine = sa.create_engine(process_env["KRING_DATABASE_URL"])
    try:
        wait_for(lambda: _scalar(engine, "SELECT count(*) FROM cursor") == 1, "the first read of the forum")
    finally:
        listening.terminate()
        output, _ = listening.communicate(timeout=15)
        engine.dispose()
    assert listening.returncode == 0, output
    assert f"Listening to {process_env['KRING_DISCOURSE_URL']}/posts.json" in output


def _scalar(engine: sa.Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text(sql)).scalar_one())


@pytest.mark.own_database
def test_demo_in_dutch_with_fewer_meetings(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KRING_")}
    result = subprocess.run([*KRING, "demo", "--language", "nl", "--meetings", "3", "--out", str(tmp_path / "tour")],
                            env=clean, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert "Stap 1 — Definieer het vraagstuk" in result.stdout and "Step 1 — Define" not in result.stdout
    assert "    3. inhoud: " in result.stdout and "    4. inhoud: " not in result.stdout  # three pairs
    # The whole tour in Dutch: who speaks, where Kring posted, the scores on their scale, no Markdown marks.
    shown = result.stdout
    assert "Kring, in het kanaal:" in shown and "Kring-bot op Mattermost:" in shown
    assert "[geplaatst in het kanaal]" in shown and "posted in" not in shown and "content:" not in shown
    assert re.search(r"Evaluatie per bijeenkomst: 1: (\d,\d|\d) van 5", shown)
    assert "**" not in shown.split("Deel 2")[0]


def test_kring_outbox_lists_what_did_not_go_out_and_retries_it(process_env: dict[str, str]) -> None:
    assert run(["db", "upgrade"], process_env).returncode == 0
    assert run(["outbox", "list"], process_env).stdout == "Every message was delivered.\n"
    database = Database(process_env["KRING_DATABASE_URL"])
    now = datetime.now(UTC)
    with database.session() as session:
        community = add_community(session, platform="mattermost", group_id="chan-1", name="CoP Water",
                                  language="en", timezone="Europe/Amsterdam", now=now)
        given_up = outbox.add_message(session, idempotency_key="k1", platform="mattermost", operation="post",
                                      payload={"group_id": "chan-1", "text": "Hi"}, now=now)
        session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == given_up).values(
            status=OutboxStatus.FAILED, attempts=1, last_error="POST chat.example.org/posts answered 403"))
        community_id = community.id
    database.dispose()

    listed = run(["outbox", "list", "--community", str(community_id)], process_env)
    assert listed.stdout.splitlines() == [
        f"message {given_up} community {community_id} post to group: failed after 1 attempt(s)",
        "    POST chat.example.org/posts answered 403"]
    assert run(["outbox", "list", "--community", str(community_id + 1)], process_env).stdout.startswith("Every")
    assert run(["outbox", "retry"], process_env).returncode == 2  # ids, or --failed
    retried = run(["outbox", "retry", "--failed", "--community", str(community_id)], process_env)
    assert retried.returncode == 0 and f"Queued again: {given_up}." in retried.stdout
    relisted = run(["outbox", "list"], process_env).stdout
    assert f"message {given_up} community {community_id} post to group: retrying after 1 attempt(s), next attempt " \
        in relisted
    again = run(["outbox", "retry", str(given_up)], process_env)  # no longer given up
    assert again.returncode == 1 and f"left as they are: {given_up}" in again.stdout


def test_kring_help_groups_every_command_and_says_where_to_start(process_env: dict[str, str]) -> None:
    shown = run(["--help"], process_env).stdout
    sections = re.findall(r"^(\w[\w ]+):\n((?:  \S.*\n)+)", shown, flags=re.MULTILINE)
    assert [title for title, _ in sections] == ["Options", "Start here", "Run Kring", "Communities", "Operations"]
    listed = [line.split()[0] for _, rows in sections[1:] for line in rows.splitlines()]
    assert sorted(listed) == sorted(main.commands) and listed[0] == "demo"
    assert "New here? `kring demo`" in shown


def test_an_operator_looks_at_and_changes_members_and_communities(process_env: dict[str, str]) -> None:
    assert run(["db", "upgrade"], process_env).returncode == 0
    assert run(["community", "add", "--platform", "mattermost", "--group", "chan-1", "--name", "CoP Water",
                "--language", "en"], process_env).returncode == 0
    assert run(["member", "add", "--community", "1", "--user", "u-anna", "--name", "Anna", "--username", "anna",
                "--organisation", "Waterschap"], process_env).returncode == 0
    updated = run(["member", "update", "--community", "1", "--user", "u-anna", "--sector", "public",
                   "--orientation", "practice", "--core", "--role", "initiator"], process_env)
    assert updated.returncode == 0, updated.stderr
    listed = run(["member", "list", "--community", "1"], process_env).stdout
    assert listed == "u-anna\tAnna\t@anna\tinitiator\tWaterschap (public)\tpractice, core group\n"
    assert run(["member", "update", "--community", "1", "--user", "u-anna", "--no-core"], process_env).returncode == 0
    assert run(["member", "list", "--community", "1"], process_env).stdout.endswith("\tpractice\n")
    assert run(["member", "update", "--community", "1", "--user", "u-anna", "--core"], process_env).returncode == 0
    assert run(["member", "update", "--community", "1", "--user", "u-bram", "--core"], process_env).returncode == 1
    assert "has left community 1" in run(["member", "remove", "--community", "1", "--user", "u-anna"],
                                         process_env).stdout
    assert run(["member", "list", "--community", "1"], process_env).stdout.startswith("No members in community 1")
    assert "\tpractice, core group, left 20" in run(["member", "list", "--community", "1", "--all"],
                                                    process_env).stdout

    shown = run(["community", "show", "1"], process_env).stdout
    assert "language en, time zone Europe/Amsterdam, closed CoP" in shown and "no start date yet" in shown
    changed = run(["community", "update", "1", "--open", "--start", "2027-01-12", "--cadence", "4", "--months", "2",
                   "--name", "CoP Water en Klimaat", "--timezone", "Europe/Brussels"], process_env)
    assert changed.returncode == 0 and "3 meetings in the calendar" in changed.stdout, changed.stderr
    shown = run(["community", "show", "1"], process_env).stdout
    assert shown.startswith("1 CoP Water en Klimaat:") and "time zone Europe/Brussels, open CoP" in shown
    assert "a meeting every 4 weeks for 2 months, from 2027-01-12" in shown
    secret = load_config(process_env).secret_key
    assert f"calendar feed: {feed_path(secret, 1)} (secret: members subscribe to it" in shown  # no KRING_PUBLIC_URL
    assert run(["community", "update", "1", "--closed"], process_env).returncode == 0
    assert "closed CoP" in run(["community", "show", "1"], process_env).stdout
    assert run(["community", "update", "1"], process_env).returncode == 2  # nothing to change

    refused = run(["community", "remove", "1"], process_env)
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert "removed" in run(["community", "remove", "1", "--yes"], process_env).stdout
    assert run(["community", "list"], process_env).stdout.startswith("No communities yet")
    assert run(["member", "list", "--community", "1", "--all"], process_env).stdout.startswith("No members")
