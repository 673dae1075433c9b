"""`kring doctor discourse` as an operator runs it, on a forum at its defaults, then set up."""

from __future__ import annotations

from plugin.demo.standin import StandInPlatform
from tests.platforms.test_discourse_installer import install
from tests.support.cli import run


def linked(process_env: dict[str, str], platform: StandInPlatform) -> dict[str, str]:
    env = {k: v for k, v in process_env.items() if not k.startswith("KRING_DISCOURSE_")}
    env["KRING_PUBLIC_URL"] = "https://kring.example.org"
    assert run(["db", "upgrade"], env).returncode == 0
    platform.add_bot(moderator=False)
    assert run(["community", "add", "--platform", "discourse", "--group", "7", "--name", "CoP",
                "--member-group", "cop-water"], env).returncode == 0
    return env


def test_the_doctor_names_what_blocks_on_the_forum(process_env: dict[str, str], platform: StandInPlatform) -> None:
    env = {**linked(process_env, platform), "KRING_DISCOURSE_URL": platform.url,
           "KRING_DISCOURSE_API_KEY": "bot-key", "KRING_DISCOURSE_API_USERNAME": "kring"}
    platform.hidden_groups.add("cop-water")
    platform.hidden_categories.add(7)
    result = run(["doctor", "discourse"], env)
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "ok    Discourse 3.4.2" in lines
    assert any(line.startswith("FAIL  the bot @kring is trust level 0 and not staff") for line in lines)
    assert any(line.startswith("FAIL  the bot cannot see category 7") for line in lines)
    assert "FAIL  the members of group cop-water are hidden from the bot" in lines
    assert "warn  the web hook and the site settings were not checked" in lines

    platform.users["kring"]["trust_level"] = 1
    assert any(line.startswith("warn  the bot @kring is trust level 1 and not staff: it is rate limited")
               for line in run(["doctor", "discourse"], env).stdout.splitlines())
    platform.discourse_version = "2.8.14"
    assert "FAIL  Discourse 2.8.14 has no granular web hook events (they came with 3.1)" in run(
        ["doctor", "discourse"], env).stdout


def test_after_the_install_the_doctor_finds_nothing_blocking(process_env: dict[str, str],
                                                             platform: StandInPlatform) -> None:
    env = linked(process_env, platform)
    platform.groups["cop-water"] = ([], [(2, "anna", "Anna")])
    assert install(env, platform, 7).returncode == 0  # makes the bot a moderator and the unfiltered web hook
    result = run(["doctor", "discourse", "--token", "admin-key"], env)
    assert result.returncode == 0, result.stdout
    assert "ok    the bot @kring is a moderator" in result.stdout
    assert "ok    the web hook" in result.stdout and "min_post_length = 20" in result.stdout
