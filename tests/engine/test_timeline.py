"""Backcasting's steps in time: dated lines ordered from now to the future, as the `in_time` filter does."""

from __future__ import annotations

from datetime import date

from plugin.engine import templates
from plugin.engine.timeline import in_time, parse


def test_a_step_is_dated_by_its_year_or_year_and_month() -> None:
    step = parse("2028-06 \u2013 pilot in two towns")  # an en dash, as word processors make a hyphen
    assert (step.by, step.when, step.what) == (date(2028, 6, 1), "2028-06", "pilot in two towns")
    assert parse("2031: law changed").by == date(2031, 1, 1)
    for undated in ("Talk to the water board", "2028-13: no such month", "12: not a year", "3000: too far"):
        assert parse(undated).by is None, undated
        assert parse(undated).what == undated


def test_steps_run_from_now_to_the_desired_future_each_once() -> None:
    written = ["2031: law changed", "Talk to the water board", "2028-06: pilot in two towns", "Ask the board",
               "2027: first talks", "2028-06: Pilot in two towns"]
    assert in_time(written) == ["Ask the board", "Talk to the water board", "2027: first talks",
                                "2028-06: pilot in two towns", "2031: law changed"]
    assert in_time(["", "  "]) == []


def test_workflow_templates_have_the_in_time_filter() -> None:
    context = {"lines": ["2030: b", "2029: a"]}
    assert templates.render("{{ lines | in_time | join(' → ') }}", context) == "2029: a → 2030: b"
    assert templates.evaluate("lines | in_time", context) == ["2029: a", "2030: b"]
    assert "in_time" in templates.known_filters()
