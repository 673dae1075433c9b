"""The sample deployment (`deploy/`) stays in step with the CLI and the settings: every command it
runs is a `kring` command with options that exist, every KRING_* variable it sets is documented, the
database is migrated once before anything starts, and one listener runs per platform."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import click
from ruamel.yaml import YAML

from plugin.cli import main
from plugin.config import SETTINGS

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
KNOWN_VARIABLES = {setting.variable for setting in SETTINGS}


def kring_command_is_valid(argv: list[str]) -> None:
    """``argv`` (after `kring`) parses as a command of the CLI, options and their types included."""
    command: click.Command = main
    context, words = click.Context(main, info_name="kring"), list(argv)
    while isinstance(command, click.Group):
        assert words, f"`kring {' '.join(argv)}` names a group, not a command"
        found = command.get_command(context, words[0])
        assert found is not None, f"`kring {' '.join(argv)}`: no command {words[0]!r}"
        command, context, words = found, click.Context(found, info_name=words[0], parent=context), words[1:]
    command.make_context(str(context.info_name), words, parent=context.parent)


def compose() -> dict[str, object]:
    loaded: dict[str, object] = YAML(typ="safe").load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    return loaded


def test_the_compose_file_runs_kring_commands_with_documented_settings() -> None:
    services = compose()["services"]
    assert isinstance(services, dict)
    kring = {name: service for name, service in services.items() if service.get("command", [""])[0] == "kring"}
    assert set(kring) == {"migrate", "web", "worker", "listen-mattermost"}
    for service in kring.values():
        kring_command_is_valid(service["command"][1:])
        assert set(service["environment"]) <= KNOWN_VARIABLES
    assert kring["migrate"]["restart"] == "no"
    for name in ("web", "worker", "listen-mattermost"):
        assert kring[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert kring["web"]["deploy"]["replicas"] == 2 and "deploy" not in kring["listen-mattermost"]  # one listener
    assert "--requirepass" in services["redis"]["command"]


def test_the_systemd_units_run_kring_commands_after_one_migration() -> None:
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {unit.name for unit in units} == {"kring-migrate.service", "kring-web@.service", "kring-worker@.service",
                                             "kring-listen@.service"}
    for unit in units:
        parsed = configparser.ConfigParser(interpolation=None, strict=False)
        parsed.read(unit, encoding="utf-8")
        argv = shlex.split(parsed["Service"]["ExecStart"])
        assert argv[0].endswith("/kring"), unit.name
        kring_command_is_valid([word.replace("%i", "8081" if "web" in unit.name else "mattermost")
                                for word in argv[1:]])
        if unit.name != "kring-migrate.service":
            assert "kring-migrate.service" in parsed["Unit"]["Requires"]


def test_the_example_settings_are_documented_ones() -> None:
    lines = [line for line in (DEPLOY / "kring.env.example").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    variables = {line.split("=", 1)[0] for line in lines}
    assert {v for v in variables if v.startswith("KRING_")} <= KNOWN_VARIABLES
