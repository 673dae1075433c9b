"""manifest.json is the one description of commands, endpoints and settings: it must match the code."""

from __future__ import annotations

import json
import tomllib

from flask import Flask

import plugin
from plugin import manifest_build
from plugin.commands.registry import COMMANDS
from plugin.config import SETTINGS
from plugin.engine.triggers.command import BUILT_IN_WORDS
from plugin.platforms.discourse.connector import HANDLED_EVENTS
from tests.support.openapi import REPO_ROOT

MANIFEST = json.loads((REPO_ROOT / "manifest.json").read_text(encoding="utf-8"))


def test_the_manifest_is_made_from_the_registries() -> None:
    """manifest.json is what `kring manifest` writes from the commands, connectors and settings."""
    assert (REPO_ROOT / "manifest.json").read_text(encoding="utf-8") == manifest_build.rendered()


def test_version_matches_the_package() -> None:
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert MANIFEST["version"] == plugin.__version__ == pyproject["project"]["version"]


def test_subcommands_are_the_registered_commands_with_their_hints() -> None:
    listed = {entry["name"]: entry["hint"] for entry in MANIFEST["command"]["subcommands"]}
    assert list(listed) == list(COMMANDS)
    for name, hint in listed.items():
        assert COMMANDS[name].usage == f"/cop {name} {hint}".strip()


def test_every_endpoint_is_served(app: Flask) -> None:
    rules = {(rule.rule, method) for rule in app.url_map.iter_rules() for method in rule.methods or ()}
    for endpoint in MANIFEST["endpoints"].values():
        assert (endpoint["path"], endpoint["method"]) in rules


def test_settings_are_the_documented_variables() -> None:
    assert [s["variable"] for s in MANIFEST["settings"]] == [s.variable for s in SETTINGS]
    assert {s["variable"] for s in MANIFEST["settings"] if s["secret"]} == {s.variable for s in SETTINGS if s.secret}


def test_discourse_events_are_the_handled_ones() -> None:
    assert set(MANIFEST["discourse_webhook_events"]) == HANDLED_EVENTS - {"ping"}


def test_workflows_cannot_declare_the_built_in_command_words() -> None:
    assert set(COMMANDS) == BUILT_IN_WORDS
