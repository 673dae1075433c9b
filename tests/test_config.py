"""Configuration: defaults, file, environment, validation that names every bad variable."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from plugin.config import load_config
from plugin.errors import ConfigError


def test_defaults_live_under_kring_home(tmp_path: Path) -> None:
    config = load_config({"KRING_HOME": str(tmp_path)})
    assert config.database_url == f"sqlite:///{tmp_path / 'kring.db'}"
    assert config.uses_embedded_redis
    assert (config.language, config.timezone, config.queue_name) == ("en", "Europe/Amsterdam", "kring")


def test_a_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = load_config({"KRING_HOME": str(tmp_path)}).secret_key
    second = load_config({"KRING_HOME": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 40
    mode = (tmp_path / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_a_given_secret_key_wins_and_nothing_is_written(tmp_path: Path) -> None:
    given = "given-and-long-enough-to-sign-with-0123"
    config = load_config({"KRING_HOME": str(tmp_path), "KRING_SECRET_KEY": given})
    assert config.secret_key == given
    assert not (tmp_path / "secret_key").exists()


def test_a_weak_secret_key_is_refused_with_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        load_config({"KRING_HOME": str(tmp_path), "KRING_SECRET_KEY": "a"})
    assert "KRING_SECRET_KEY: 1 characters is too short" in str(refused.value)
    assert "secrets.token_urlsafe(32)" in str(refused.value)


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "kring.toml"
    path.write_text('language = "nl"\nqueue_name = "from-file"\nmax_body_bytes = 2048\n', encoding="utf-8")
    config = load_config({"KRING_HOME": str(tmp_path), "KRING_CONFIG_FILE": str(path), "KRING_QUEUE_NAME": "env"})
    assert (config.language, config.queue_name, config.max_body_bytes) == ("nl", "env", 2048)


def test_postgres_urls_use_psycopg3(tmp_path: Path) -> None:
    config = load_config({"KRING_HOME": str(tmp_path), "KRING_DATABASE_URL": "postgres://u@db/kring"})
    assert config.database_url == "postgresql+psycopg://u@db/kring"


def test_every_bad_variable_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config({
            "KRING_HOME": str(tmp_path), "KRING_LANGUAGE": "fr", "KRING_TIMEZONE": "Mars/Base",
            "KRING_REDIS_URL": "http://x", "KRING_MAX_BODY_BYTES": "-1", "KRING_MATTERMOST_URL": "mm.example",
            "KRING_LOG_LEVEL": "LOUD", "KRING_HTTP_TIMEOUT": "soon",
        })
    named = {problem.split(":")[0] for problem in caught.value.problems}
    assert named == {"KRING_LANGUAGE", "KRING_TIMEZONE", "KRING_REDIS_URL", "KRING_MAX_BODY_BYTES",
                     "KRING_MATTERMOST_URL", "KRING_LOG_LEVEL", "KRING_HTTP_TIMEOUT"}


def test_a_bad_config_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "kring.toml"
    path.write_text("colour = 'red'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="KRING_CONFIG_FILE: unknown setting"):
        load_config({"KRING_CONFIG_FILE": str(path)})
    path.write_text("language = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config({"KRING_CONFIG_FILE": str(path)})
    with pytest.raises(ConfigError, match="does not exist"):
        load_config({"KRING_CONFIG_FILE": str(tmp_path / "missing.toml")})


def test_described_masks_every_secret(tmp_path: Path) -> None:
    config = load_config({
        "KRING_HOME": str(tmp_path), "KRING_SECRET_KEY": "s3cr3t-key-long-enough-for-kring-0123",
        "KRING_MATTERMOST_BOT_TOKEN": "bot-tok",
        "KRING_MATTERMOST_COMMAND_TOKENS": "cmd-a,cmd-b", "KRING_DISCOURSE_API_KEY": "api-k",
        "KRING_DISCOURSE_WEBHOOK_SECRET": "hook-s", "KRING_DATABASE_URL": "postgresql://kring:pw123@db/kring",
    })
    shown = "\n".join(f"{variable}={value}" for variable, value in config.described())
    for secret in ("s3cr3t-key-long-enough-for-kring-0123", "bot-tok", "cmd-a", "api-k", "hook-s", "pw123"):
        assert secret not in shown
    assert "KRING_SECRET_KEY=****** (set)" in shown
    assert "KRING_DATABASE_URL=postgresql+psycopg://kring:***@db/kring" in shown
    assert repr(config).count("s3cr3t-key") == 0


def test_a_misspelt_variable_is_named_with_the_setting_meant(process_env: dict[str, str]) -> None:
    from tests.support.cli import run

    shown = run(["config"], {**process_env, "KRING_DATABSE_URL": "postgresql://db/kring"})
    assert shown.returncode == 0
    assert ("kring: warning: KRING_DATABSE_URL is not a Kring setting and is ignored (did you mean "
            "KRING_DATABASE_URL?)") in shown.stderr


def test_an_unknown_key_in_the_config_file_is_named_with_the_setting_meant(tmp_path: Path) -> None:
    path = tmp_path / "kring.toml"
    path.write_text('databse_url = "sqlite:///x.db"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown setting 'databse_url'.*\(did you mean database_url\?\)"):
        load_config({"KRING_HOME": str(tmp_path), "KRING_CONFIG_FILE": str(path)})
