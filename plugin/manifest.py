"""manifest.json: the one description of Kring's command, endpoints and settings, read by the installers."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from plugin.errors import KringError

MANIFEST_PATH = Path(__file__).resolve().parents[1] / "manifest.json"


@cache
def load_manifest() -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KringError(f"{MANIFEST_PATH} not found; install Kring from its source tree (pip install -e .)") from exc
    return manifest


def endpoint_url(public_url: str, name: str) -> str:
    return public_url.rstrip("/") + str(load_manifest()["endpoints"][name]["path"])


def command_words() -> frozenset[str]:
    """The words of Kring's built-in `/cop` commands."""
    return frozenset(entry["name"] for entry in load_manifest()["command"]["subcommands"])


def autocomplete_hint(limit: int = 120) -> str:
    """`[help|status|…]` from the subcommands in manifest order (the first fit), as Mattermost's custom
    commands show one hint line; `/cop help` lists them all."""
    names = [entry["name"] for entry in load_manifest()["command"]["subcommands"]]
    shown: list[str] = []
    for name in names:
        if len("[" + "|".join([*shown, name, "…"]) + "]") > limit:
            return "[" + "|".join([*shown, "…"]) + "]"
        shown.append(name)
    return "[" + "|".join(shown) + "]"
