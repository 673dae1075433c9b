"""Parameter types: declared in a workflow's ``params`` and a command trigger's ``args``, given as text
by admins (`/cop enable id key=value`) and members (command arguments)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from typing import Any

from plugin.engine.values import WEEKDAYS, format_duration, parse_duration
from plugin.texts import text

PARAM_TYPES = ("string", "int", "bool", "duration", "date", "time", "weekday", "member", "members", "choice")
_TRUE, _FALSE = {"true", "yes", "ja", "on", "1"}, {"false", "no", "nee", "off", "0"}
_MENTION = re.compile(r"^@?([A-Za-z0-9_.\-]+)$")


class InvalidValue(ValueError):
    """A value that is not of its parameter's type; in English as an exception, in a member's
    language with :meth:`in_language`."""

    def __init__(self, kind: str, got: str, **values: str) -> None:
        self.kind, self.values = kind, {"got": got, **values}
        super().__init__(self.in_language("en"))

    def in_language(self, language: str) -> str:
        return text(f"value.{self.kind}", language, **self.values)


def _username(raw: str) -> str:
    match = _MENTION.match(raw.strip())
    if not match:
        raise InvalidValue("member", raw)
    return match.group(1)


def _bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered not in _TRUE | _FALSE:
        raise InvalidValue("bool", raw)
    return lowered in _TRUE


def _weekday(raw: str) -> str:
    if raw.lower() not in WEEKDAYS:
        raise InvalidValue("weekday", raw)
    return raw.lower()


def _checked(kind: str, parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """``parse``, with its ValueError (Python's own words: "invalid literal for int()") said plainly."""
    def parsed(raw: str) -> Any:
        try:
            return parse(raw)
        except ValueError as exc:
            raise InvalidValue(kind, raw) from exc
    return parsed


def _members(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else re.split(r"[,\s]+", str(raw))
    return [_username(str(item)) for item in items if str(item).strip()]


_PARSERS: dict[str, Callable[[str], Any]] = {
    "string": str,
    "int": _checked("int", int),
    "bool": _bool,
    "duration": _checked("duration", lambda raw: format_duration(parse_duration(raw))),
    "date": _checked("date", lambda raw: date.fromisoformat(raw).isoformat()),
    "time": _checked("time", lambda raw: time.fromisoformat(raw).strftime("%H:%M")),
    "weekday": _weekday,
    "member": _username,
}


def parse_value(kind: str, raw: Any, choices: tuple[str, ...] = ()) -> Any:
    """Turn ``raw`` (text or a YAML scalar) into the JSON-safe value of ``kind``; ValueError if it is not one."""
    if kind == "members":
        return _members(raw)
    if kind == "choice":
        if str(raw).strip() not in choices:
            raise InvalidValue("choice", str(raw), choices=", ".join(choices))
        return str(raw).strip()
    parser = _PARSERS.get(kind)
    if parser is None:
        raise ValueError(f"unknown parameter type {kind!r}")
    return parser(str(raw) if kind == "string" else str(raw).strip())
