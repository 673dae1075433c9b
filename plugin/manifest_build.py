"""manifest.json made from the registries it describes: the `/cop` commands, the connectors'
endpoints and the settings. `kring manifest --write` writes it; a test keeps the committed file equal
to what this builds, so the manifest never says something the code does not do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import plugin
from plugin.commands.registry import COMMANDS
from plugin.config import SETTINGS
from plugin.manifest import MANIFEST_PATH
from plugin.platforms.registry import CONNECTORS

NAME = "Kring"
DESCRIPTION = {
    "en": "The Community of Practice toolbox inside your forum: workflows for the eight steps, driven by webhooks.",
    "nl": "De Community of Practice-toolbox in je eigen forum: workflows voor de acht stappen, aangestuurd door "
          "webhooks.",
}
COMMAND_DESCRIPTION = {"en": "Kring, the CoP toolbox", "nl": "Kring, de CoP-toolbox"}
#: Kring's own endpoints besides the connectors'.
OWN_ENDPOINTS = {"health": ("GET", "/healthz"), "metrics": ("GET", "/metrics"), "openapi": ("GET", "/openapi.json")}


def build() -> dict[str, Any]:
    endpoints: dict[str, Any] = {name: {"method": method, "path": path}
                                 for name, (method, path) in OWN_ENDPOINTS.items()}
    extra: dict[str, Any] = {}
    for connector in CONNECTORS.values():
        for endpoint in connector.endpoints:
            endpoints[f"{connector.name}_{endpoint.name}"] = {
                "method": "POST", "path": f"/{connector.name}/{endpoint.name}", "platform": connector.name}
        extra.update(connector.manifest_entries())
    return {
        "id": "kring",
        "name": NAME,
        "version": plugin.__version__,
        "description": DESCRIPTION,
        "command": {
            "trigger": "cop",
            "display_name": NAME,
            "auto_complete_hint": "[command]",
            "auto_complete_desc": COMMAND_DESCRIPTION,
            "subcommands": [{"name": command.name, "hint": command.hint} for command in COMMANDS.values()],
        },
        "endpoints": dict(sorted(endpoints.items())),
        **extra,
        "settings": [{"variable": s.variable, "secret": s.secret, "help": s.help} for s in SETTINGS],
    }


def rendered() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def write(path: Path = MANIFEST_PATH) -> bool:
    """Write the manifest; False when it was up to date already."""
    text = rendered()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
