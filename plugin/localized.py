"""Durations, dates and numbers as a reader of the language expects them, from Babel's CLDR data:
"3 dagen", "dinsdag 12 januari 2027", "3,6" in Dutch; "3 days", "Tuesday 12 January 2027",
"3.6" in English."""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date
from babel.numbers import format_decimal
from babel.units import format_unit

#: Babel's locale for each of Kring's languages (British English: a day before the month).
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def _locale(language: str) -> str:
    return LOCALES.get(language, LOCALES["en"])


_UNITS = (("duration-week", timedelta(weeks=1)), ("duration-day", timedelta(days=1)),
          ("duration-hour", timedelta(hours=1)), ("duration-minute", timedelta(minutes=1)))


def duration(delta: timedelta, language: str) -> str:
    """``3 dagen``, ``36 uur``, ``1 week``: in the largest unit that says it exactly (else in minutes)."""
    for unit, size in _UNITS:
        if delta >= size and delta % size == timedelta(0):
            return str(format_unit(delta // size, unit, length="long", locale=_locale(language)))
    return str(format_unit(max(1, round(delta / timedelta(minutes=1))), "duration-minute", length="long",
                           locale=_locale(language)))


def long_date(day: date, language: str) -> str:
    """``dinsdag 12 januari 2027`` / ``Tuesday 12 January 2027``."""
    return str(format_date(day, "EEEE d MMMM y", locale=_locale(language)))


def number(value: float, language: str) -> str:
    """One decimal (an average on a scale: ``3,6``, ``4,0``), with the language's decimal sign."""
    return str(format_decimal(round(value, 1), format="#,##0.0", locale=_locale(language)))
