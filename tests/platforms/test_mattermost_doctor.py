"""`kring doctor mattermost` as an operator runs it: one line per check with its fix, exit 1 when
something blocks Kring."""

from __future__ import annotations

from plugin.demo.standin import BOT_USER_ID, StandInPlatform
from tests.support.cli import run
from tests.support.mattermost import switch_on_what_kring_needs
from tests.workflows.test_mattermost_replies import FakeMattermostSocket, socket

__all__ = ["socket"]  # the fixture
CHANNEL = "circulair000000000000000001"
TEAM = "team0000000000000000000001"


def linked(process_env: dict[str, str], public_url: str) -> dict[str, str]:
    env = {**process_env, "KRING_PUBLIC_URL": public_url}
    assert run(["db", "upgrade"], env).returncode == 0
    added = run(["community", "add", "--platform", "mattermost", "--group", CHANNEL, "--team", TEAM,
                 "--name", "CoP"], env)
    assert added.returncode == 0, added.stderr
    return env


def test_the_doctor_names_what_blocks_and_how_to_fix_it(process_env: dict[str, str], platform: StandInPlatform,
                                                        socket: FakeMattermostSocket) -> None:
    env = linked(process_env, "http://127.0.0.1:8080")
    result = run(["doctor", "mattermost", "--ws-url", socket.url], env)
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"ok    Mattermost 10.5.0 at {platform.url}" in lines
    assert "ok    the bot @kring is active" in lines
    assert f"FAIL  the bot is not in team {TEAM}" in lines
    assert f"FAIL  the bot is not in channel {CHANNEL}, which is linked to a community" in lines
    assert "warn  the server's settings and the /cop command were not checked" in lines
    assert any(line.startswith("warn  127.0.0.1 resolves to an internal address") for line in lines)
    assert f"ok    the WebSocket {socket.url} answers" in lines
    assert "      fix: pass --token with a system admin's personal access token" in lines
    assert "Traceback" not in result.stderr


def test_with_an_admin_token_the_doctor_reads_the_settings(process_env: dict[str, str], platform: StandInPlatform,
                                                           socket: FakeMattermostSocket) -> None:
    env = linked(process_env, "http://127.0.0.1:8080")
    result = run(["doctor", "mattermost", "--token", "admin-token", "--ws-url", socket.url], env)
    assert result.returncode == 1
    assert "FAIL  ServiceSettings.SiteURL is not set" in result.stdout
    assert "FAIL  Mattermost will refuse to call 127.0.0.1: it is an internal address" in result.stdout
    assert f"FAIL  team {TEAM} has no /cop command" in result.stdout

    switch_on_what_kring_needs(platform)
    platform.mm_config["ServiceSettings"]["AllowedUntrustedInternalConnections"] = "127.0.0.1"
    platform.team_members[TEAM] = {BOT_USER_ID}
    platform.channel_additions[CHANNEL] = {BOT_USER_ID}
    platform.commands["c1"] = {"id": "c1", "trigger": "cop", "url": "http://127.0.0.1:8080/mattermost/command",
                               "team_id": TEAM, "delete_at": 0}
    healthy = run(["doctor", "mattermost", "--token", "admin-token", "--ws-url", socket.url], env)
    assert healthy.returncode == 0, healthy.stdout
    assert "ok    127.0.0.1 is listed in AllowedUntrustedInternalConnections" in healthy.stdout
    assert healthy.stdout.splitlines()[-1].endswith("checks, 0 blocking Kring")


def test_a_deactivated_bot_is_blocking(process_env: dict[str, str], platform: StandInPlatform,
                                       socket: FakeMattermostSocket) -> None:
    env = linked(process_env, "https://kring.example.org")
    platform.bot_deactivated = True  # its owner, the admin who installed Kring, was deactivated
    result = run(["doctor", "mattermost", "--ws-url", socket.url], env)
    assert result.returncode == 1
    assert "FAIL  the bot @kring is deactivated" in result.stdout
    assert "fix: enable it in System Console → Integrations → Bot Accounts" in result.stdout
