"""Schedules in the community's time zone, across Europe/Amsterdam's daylight-saving changes
(2027: clocks go forward on 28 March at 02:00, back on 31 October at 03:00)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugin.engine.schedule import next_cron, next_every, parse_every
from plugin.engine.values import format_duration, parse_duration

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def occurrences(first_after: datetime, count: int, step) -> list[datetime]:  # type: ignore[no-untyped-def]
    found, moment = [], first_after
    for _ in range(count):
        moment = step(moment)
        found.append(moment)
    return found


def test_every_six_weeks_keeps_local_time_across_dst() -> None:
    rule = parse_every("every 6 weeks on tuesday 14:00")
    meetings = occurrences(datetime(2027, 1, 1, tzinfo=UTC), 10,
                           lambda after: next_every(rule, after, AMSTERDAM, date(2027, 1, 12)))
    local = [m.astimezone(AMSTERDAM) for m in meetings]
    assert all(m.strftime("%A %H:%M") == "Tuesday 14:00" for m in local)
    assert [m.date() - local[0].date() for m in local] == [timedelta(weeks=6 * i) for i in range(10)]
    utc_hours = [m.hour for m in meetings]
    assert utc_hours[:2] == [13, 13]  # winter: UTC+1
    assert 12 in utc_hours  # summer: UTC+2
    assert utc_hours[-1] == 13  # winter again


def test_every_counts_from_the_anchor_not_from_now() -> None:
    rule = parse_every("every 2 weeks on monday 09:00")
    after = datetime(2027, 2, 2, tzinfo=UTC)  # a Tuesday
    assert next_every(rule, after, AMSTERDAM, date(2027, 1, 4)) == datetime(2027, 2, 15, 8, 0, tzinfo=UTC)


def test_cron_in_the_spring_gap_fires_once_at_the_jump() -> None:
    after = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
    fired = occurrences(after, 3, lambda moment: next_cron("30 2 * * *", moment, AMSTERDAM))
    assert fired == [
        datetime(2027, 3, 28, 1, 30, tzinfo=UTC),  # 02:30 does not exist; fires as the clock jumps past it
        datetime(2027, 3, 29, 0, 30, tzinfo=UTC),  # 02:30 CEST
        datetime(2027, 3, 30, 0, 30, tzinfo=UTC),
    ]


def test_cron_in_the_autumn_overlap_fires_once() -> None:
    after = datetime(2027, 10, 30, 12, 0, tzinfo=UTC)
    fired = occurrences(after, 2, lambda moment: next_cron("30 2 * * *", moment, AMSTERDAM))
    assert fired == [datetime(2027, 10, 31, 0, 30, tzinfo=UTC), datetime(2027, 11, 1, 1, 30, tzinfo=UTC)]


def test_weekly_cron_across_the_change_stays_at_nine_local() -> None:
    fired = occurrences(datetime(2027, 3, 20, tzinfo=UTC), 3, lambda m: next_cron("0 9 * * mon", m, AMSTERDAM))
    assert [f.astimezone(AMSTERDAM).strftime("%m-%d %H:%M") for f in fired] == ["03-22 09:00", "03-29 09:00",
                                                                              "04-05 09:00"]
    assert [f.hour for f in fired] == [8, 7, 7]


@pytest.mark.parametrize("text", ["every week", "every 0 weeks on monday 09:00", "every day on monday 09:00",
                                  "every 2 weeks on funday 09:00", "each week at 9"])
def test_bad_every_rules_say_what_to_write(text: str) -> None:
    with pytest.raises(ValueError, match=r"every|weekday|interval|only goes"):
        parse_every(text)


@given(st.integers(min_value=0, max_value=10_000_000))
def test_durations_round_trip(seconds: int) -> None:
    delta = timedelta(seconds=seconds)
    assert parse_duration(format_duration(delta)) == delta


@pytest.mark.parametrize("text", ["", "7", "d7", "7x", "1h 30", "-1d"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)
