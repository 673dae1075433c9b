"""Parameter types: declared in a workflow's ``params`` and a command trigger's ``args``, given as text
by admins (`/cop enable id key=value`) and members (command arguments)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from typing import Any

from plugin.engine.values import WEEKDAYS, format_duration, parse_duration

PARAM_TYPES = ("string", "int", "bool", "duration", "date", "time", "weekday", "member", "members", "choice")
_TRUE, _FALSE = {"true", "yes", "ja", "on", "1"}, {"false", "no", "nee", "off", "0"}
_MENTION = re.compile(r"^@?([A-Za-z0-9_.\-]+)$")


def _username(text: str) -> str:
    match = _MENTION.match(text.strip())
    if not match:
        raise ValueError(f"expected a user name such as @anna, got {text!r}")
    return match.group(1)


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered not in _TRUE | _FALSE:
        raise ValueError(f"expected yes or no, got {text!r}")
    return lowered in _TRUE


def _weekday(text: str) -> str:
    if text.lower() not in WEEKDAYS:
        raise ValueError(f"expected a weekday such as tuesday or dinsdag, got {text!r}")
    return text.lower()


def _members(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else re.split(r"[,\s]+", str(raw))
    return [_username(str(item)) for item in items if str(item).strip()]


_PARSERS: dict[str, Callable[[str], Any]] = {
    "string": str,
    "int": int,
    "bool": _bool,
    "duration": lambda text: format_duration(parse_duration(text)),
    "date": lambda text: date.fromisoformat(text).isoformat(),
    "time": lambda text: time.fromisoformat(text).strftime("%H:%M"),
    "weekday": _weekday,
    "member": _username,
}


def parse_value(kind: str, raw: Any, choices: tuple[str, ...] = ()) -> Any:
    """Turn ``raw`` (text or a YAML scalar) into the JSON-safe value of ``kind``; ValueError if it is not one."""
    if kind == "members":
        return _members(raw)
    if kind == "choice":
        if str(raw).strip() not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {raw!r}")
        return str(raw).strip()
    parser = _PARSERS.get(kind)
    if parser is None:
        raise ValueError(f"unknown parameter type {kind!r}")
    return parser(str(raw) if kind == "string" else str(raw).strip())
