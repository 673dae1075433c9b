"""The sentences about values: what a parameter or a command expected, suggestions for a misspelt
word, the words for yes and no and for a run's state, and counts of things (with a form for one and for more)."""

from __future__ import annotations

from plugin.texts.catalog import sentence

VALUES = (
    sentence("value.member", "expected a user name such as @anna, got '{got}'"),
    sentence("value.bool", "expected yes or no, got '{got}'"),
    sentence("value.weekday", "expected a weekday such as tuesday or dinsdag, got '{got}'"),
    sentence("value.int", "expected a whole number, got '{got}'"),
    sentence("value.duration", "not a duration: '{got}' (use e.g. `7d`, `1h30m`, `2w`)"),
    sentence("value.date", "expected a date as YYYY-MM-DD, got '{got}'"),
    sentence("value.time", "expected a time as HH:MM, got '{got}'"),
    sentence("value.choice", "expected one of {choices}, got '{got}'"),
    sentence("value.yes", "yes"),
    sentence("value.no", "no"),
    sentence("suggest.nearest", "Did you mean '{choice}'?"),
    sentence("suggest.choices", "Expected one of: {choices}."),
    sentence("param.unknown", "unknown parameter '{name}'.{suggestion}"),
    sentence("param.required", "{name} is required"),
    sentence("count.members", "{count} member", "{count} members"),
    sentence("count.organisations", "{count} organisation", "{count} organisations"),
    sentence("run.status.running", "running"),
    sentence("run.status.waiting", "waiting"),
    sentence("run.status.done", "done"),
    sentence("run.status.failed", "failed"),
    sentence("run.status.cancelled", "cancelled"),
)
