"""Kring's own template filters: durations, numbers and dates as the community's language writes them."""

from __future__ import annotations

import pytest

from plugin.engine import templates


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", "Over 3 dagen, gemiddeld 3,6 — dinsdag 12 januari 2027; 36 uur, 1 week"),
    ("en", "In 3 days, 3.6 on average — Tuesday 12 January 2027; 36 hours, 1 week"),
])
def test_durations_numbers_and_dates_in_the_communitys_language(language: str, expected: str) -> None:
    source = {"nl": "Over {{ notice | duration }}, gemiddeld {{ average | number }} — {{ day | long_date }}; "
                    "{{ '36h' | duration }}, {{ '7d' | duration }}",
              "en": "In {{ notice | duration }}, {{ average | number }} on average — {{ day | long_date }}; "
                    "{{ '36h' | duration }}, {{ '7d' | duration }}"}[language]
    context = {"notice": "3d", "average": 3.62, "day": "2027-01-12", "community": {"language": language}}
    assert templates.render(source, context) == expected


def test_the_runs_language_is_enough_a_step_need_not_read_its_community() -> None:
    """A step's context holds only the names its template reads, and always the run's `language`: a
    template that names no `community` still gets the community's language."""
    context = {"language": "nl", "day": "2027-01-12", "community": {"language": "en"}}
    assert templates.render("{{ day | long_date }}", context) == "dinsdag 12 januari 2027"
    assert templates.render("{{ day | long_date }}", {"language": "nl", "day": "2027-01-12"}) == (
        "dinsdag 12 januari 2027")


def test_without_a_community_the_filters_speak_english() -> None:
    assert templates.render("{{ '2w' | duration }} {{ 4 | number }}", {}) == "2 weeks 4.0"


def test_a_duration_that_is_not_one_fails_the_template() -> None:
    with pytest.raises(templates.TemplateFailed, match="not a duration"):
        templates.render("{{ 'soon' | duration }}", {})
