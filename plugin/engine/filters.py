"""Kring's own Jinja2 filters, besides Jinja2's: what a workflow text needs to read well.

- ``in_time``: backcasting steps ordered from now to the future (:mod:`plugin.engine.timeline`);
- ``duration``: ``{{ params.notice | duration }}`` → "3 dagen" / "3 days", in the community's language;
- ``number``: ``{{ value.average | number }}`` → "3,6" / "3.6";
- ``long_date``: ``{{ meeting.date | long_date }}`` → "dinsdag 12 januari 2027" / "Tuesday 12 January 2027".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from plugin import localized
from plugin.engine.timeline import in_time
from plugin.engine.values import parse_duration


def _language(context: Context) -> str:
    """The run's language (every step's context has it), else its community's."""
    language = context.get("language")
    if isinstance(language, str):
        return language
    community = context.get("community")
    return str(community.get("language", "en")) if isinstance(community, dict) else "en"


@pass_context
def _duration(context: Context, value: timedelta | str) -> str:
    delta = value if isinstance(value, timedelta) else parse_duration(str(value))
    return localized.duration(delta, _language(context))


@pass_context
def _long_date(context: Context, value: str) -> str:
    return localized.long_date(date.fromisoformat(str(value)[:10]), _language(context))


@pass_context
def _number(context: Context, value: float | int) -> str:
    return localized.number(float(value), _language(context))


FILTERS: dict[str, Callable[..., Any]] = {"in_time": in_time, "duration": _duration, "number": _number,
                                          "long_date": _long_date}
