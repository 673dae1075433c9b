"""`kring install mattermost` / `kring uninstall mattermost` against the fake Mattermost (OpenAPI-checked)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from plugin.demo.standin import StandInPlatform
from plugin.runtime import build_runtime
from tests.support.cli import run
from tests.support.mattermost import switch_on_what_kring_needs
from tests.support.payloads import slash_command
from tests.support.services import free_port
from webhooks import create_app

NEW_KEY = "a-new-key-that-is-long-enough-for-kring"


def install(process_env: dict[str, str], platform: StandInPlatform, *extra: str,  # type: ignore[no-untyped-def]
            as_the_readme_says: bool = True):
    """`kring install mattermost`, on a server whose admin switched on what the README asks (or not)."""
    if as_the_readme_says:
        switch_on_what_kring_needs(platform)
    return run(["install", "mattermost", "--url", platform.url, "--token", "admin-token", "--team", "cop-team",
                "--public-url", "https://kring.example.org", *extra], process_env)


def test_install_creates_then_updates(process_env: dict[str, str], platform: StandInPlatform) -> None:
    env = {k: v for k, v in process_env.items() if k not in ("KRING_MATTERMOST_BOT_TOKEN",
                                                              "KRING_MATTERMOST_COMMAND_TOKENS")}
    assert run(["db", "upgrade"], env).returncode == 0
    first = install(env, platform)
    assert first.returncode == 0, first.stderr
    assert "bot @kring: created" in first.stdout
    assert "/cop command: created -> https://kring.example.org/mattermost/command" in first.stdout
    [command] = platform.commands.values()
    assert command["trigger"] == "cop" and command["method"] == "P" and command["auto_complete"] is True
    assert command["auto_complete_hint"].startswith("[help|status|intro|workflows|enable")
    assert command["token"] not in first.stdout

    second = install(env, platform, "--channel", "publicchannel000000000001")
    assert second.returncode == 0, second.stderr
    assert "outgoing webhook for channel publicchannel000000000001: created" in second.stdout
    [hook] = platform.outgoing_hooks.values()
    assert hook["callback_urls"] == ["https://kring.example.org/mattermost/outgoing"]
    assert hook["content_type"] == "application/json" and hook["trigger_words"] == []
    assert "bot @kring: found" in second.stdout and "/cop command: updated" in second.stdout
    assert len(platform.commands) == 1

    # The credentials are stored sealed: the database alone reveals none of them.
    stored = stored_credentials(env)
    assert stored and all(value.startswith("sealed:v1:") for value in stored)
    assert not any(command["token"] in value or hook["token"] in value for value in stored)

    # The stored token is accepted by the HTTP edge without any KRING_MATTERMOST_COMMAND_TOKENS.
    from plugin.config import load_config

    runtime = build_runtime(load_config(env))
    try:
        client: FlaskClient = create_app(runtime=runtime).test_client()
        answer = client.post("/mattermost/command", data=in_installed_team(env, "help", command["token"]))
        assert answer.status_code == 200
        assert client.post("/mattermost/command", data=slash_command("help", "guess")).status_code == 401
        other_team = {**slash_command("help", command["token"]), "team_id": "anotherteam00000000000000001"}
        assert client.post("/mattermost/command", data=other_team).status_code == 401  # bound to its team
        post = {"token": hook["token"], "channel_id": "publicchannel000000000001", "user_id": "u", "post_id": "p1",
                "text": "hello"}
        assert client.post("/mattermost/outgoing", json=post).status_code == 200
        elsewhere = {**post, "channel_id": "otherchannel0000000000001", "post_id": "p2"}
        assert client.post("/mattermost/outgoing", json=elsewhere).status_code == 401  # bound to its channel
        assert runtime.connector("mattermost").outbound is not None  # the stored bot token is used for posting
    finally:
        runtime.close()

    removed = run(["uninstall", "mattermost", "--token", "admin-token"], env)
    assert removed.returncode == 0, removed.stderr
    assert platform.commands == {} and platform.outgoing_hooks == {}
    again = run(["uninstall", "mattermost", "--token", "admin-token"], env)
    assert again.returncode == 1 and "not installed" in again.stderr


def in_installed_team(env: dict[str, str], command_text: str, token: str) -> dict[str, str]:
    """A slash command as Mattermost sends it from the team Kring was installed in."""
    engine = create_engine(env["KRING_DATABASE_URL"])
    with engine.connect() as connection:
        team = connection.execute(text("SELECT scope FROM installation WHERE scope NOT LIKE 'channel:%'")).scalar_one()
    engine.dispose()
    return {**slash_command(command_text, token), "team_id": team}


def stored_credentials(env: dict[str, str]) -> list[str]:
    engine = create_engine(env["KRING_DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT command_token, bot_token, webhook_secret FROM installation")).all()
    engine.dispose()
    return [value for row in rows for value in row if value]


def test_stored_credentials_open_with_a_previous_key_and_not_with_another(process_env: dict[str, str],
                                                                          platform: StandInPlatform) -> None:
    env = {k: v for k, v in process_env.items() if k != "KRING_MATTERMOST_COMMAND_TOKENS"}
    run(["db", "upgrade"], env)
    assert install(env, platform).returncode == 0
    [command] = platform.commands.values()
    from plugin.config import load_config

    rotated = {**env, "KRING_SECRET_KEY": NEW_KEY, "KRING_PREVIOUS_SECRET_KEYS": env["KRING_SECRET_KEY"]}
    runtime = build_runtime(load_config(rotated))
    try:
        client: FlaskClient = create_app(runtime=runtime).test_client()
        help_command = in_installed_team(env, "help", command["token"])
        assert client.post("/mattermost/command", data=help_command).status_code == 200
    finally:
        runtime.close()
    lost = run(["serve", "--port", str(free_port())], {**env, "KRING_SECRET_KEY": NEW_KEY}, timeout=30)
    assert lost.returncode == 2 and "Traceback" not in lost.stderr
    assert "cannot be opened with KRING_SECRET_KEY" in lost.stderr and "KRING_PREVIOUS_SECRET_KEYS" in lost.stderr

    rotation = run(["secrets", "rotate"], rotated)  # re-sealed with the new key: the old one can go
    assert rotation.returncode == 0 and "2 stored credential(s) sealed again" in rotation.stdout  # command, bot
    assert "KRING_PREVIOUS_SECRET_KEYS can be removed now" in rotation.stdout
    runtime = build_runtime(load_config({**env, "KRING_SECRET_KEY": NEW_KEY}))  # no previous key any more
    try:
        client = create_app(runtime=runtime).test_client()
        help_command = in_installed_team(env, "help", command["token"])
        assert client.post("/mattermost/command", data=help_command).status_code == 200
    finally:
        runtime.close()


def test_install_needs_a_public_url(process_env: dict[str, str], platform: StandInPlatform) -> None:
    run(["db", "upgrade"], process_env)
    result = run(["install", "mattermost", "--url", platform.url, "--token", "t", "--team", "x"], process_env)
    assert result.returncode == 2
    assert "KRING_PUBLIC_URL" in result.stderr


@pytest.mark.parametrize("platform_name", ["mattermost", "discourse"])
def test_an_address_without_its_scheme_is_refused_at_once(process_env: dict[str, str], platform: StandInPlatform,
                                                          platform_name: str) -> None:
    run(["db", "upgrade"], process_env)
    own = {"mattermost": ["--token", "t", "--team", "x"], "discourse": ["--api-key", "k", "--category", "7"]}
    result = run(["install", platform_name, "--url", "chat.example.org", "--public-url", "https://kring.example",
                  *own[platform_name]], process_env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert ("Invalid value for '--url': 'chat.example.org' is not an http(s) address; "
            "did you mean https://chat.example.org?") in result.stderr
    assert platform.requests == []  # nothing was tried


def test_a_rejected_admin_token_is_reported(process_env: dict[str, str], platform: StandInPlatform) -> None:
    run(["db", "upgrade"], process_env)
    platform.fail_next(401)
    result = install(process_env, platform)
    assert result.returncode == 2
    assert "answered 401" in result.stderr
    assert "Traceback" not in result.stderr


def test_on_default_settings_the_install_says_what_to_switch_on_and_changes_nothing(
        process_env: dict[str, str], platform: StandInPlatform) -> None:
    run(["db", "upgrade"], process_env)
    refused = install(process_env, platform, as_the_readme_says=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "Environment → Web Server → Site URL (ServiceSettings.SiteURL)" in refused.stderr
    assert "Enable Bot Account Creation (ServiceSettings.EnableBotAccountCreation)" in refused.stderr
    assert platform.bots == {} and platform.commands == {}  # no half-done install
    done = install(process_env, platform, "--channel", "publicchannel000000000001")
    assert done.returncode == 0, done.stderr
    bot = next(iter(platform.bots.values()))["user_id"]
    assert any(bot in members for members in platform.team_members.values())  # before any channel
    assert bot in platform.channel_additions["publicchannel000000000001"]
