"""The meetings in members' own calendars: an iCalendar feed behind a secret address, parsed back with
icalendar; a moved meeting keeps its UID and raises its SEQUENCE, a cancelled one says so."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from plugin.cop.calendar_feed import feed_path
from tests.workflows.conftest import Cop

PUBLIC_URL = "https://kring.example.org"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "KRING_PUBLIC_URL": PUBLIC_URL}


def feed(cop: Cop) -> dict[str, dict[str, object]]:
    """Meeting summary → its event's fields, as a calendar app reads them."""
    response = cop.client.get(feed_path(cop.runtime.config.secret_key, cop.community_id))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, max-age=300"
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["x-wr-timezone"]) == "Europe/Amsterdam"
    assert calendar.walk("VTIMEZONE"), "the time zone travels with the feed"
    return {str(event["summary"]): {"uid": str(event["uid"]), "sequence": int(event["sequence"]),
                                     "start": event.decoded("dtstart"), "status": str(event["status"]),
                                     "description": str(event["description"])}
            for event in calendar.walk("VEVENT")}


def test_the_feed_holds_every_meeting_and_follows_moves_and_cancellations(cop: Cop) -> None:
    cop.command("enable cop-lifecycle")  # enabling a workflow plans the meetings
    before = feed(cop)
    assert len(before) == 14
    first = before["Meeting 1 — CoP Water"]
    assert first["start"] == datetime(2027, 1, 12, 14, 0, tzinfo=AMSTERDAM) and first["sequence"] == 0
    assert first["status"] == "CONFIRMED" and 'thread "Agenda meeting 1"' in str(first["description"])
    cop.command("meeting move 2 2027-02-25 15:00")
    cop.confirmed("meeting cancel 3")
    after = feed(cop)
    moved, cancelled = after["Meeting 2 — CoP Water"], after["Meeting 3 — CoP Water"]
    assert moved["uid"] == before["Meeting 2 — CoP Water"]["uid"] and moved["sequence"] == 1
    assert moved["start"] == datetime(2027, 2, 25, 15, 0, tzinfo=AMSTERDAM)
    assert cancelled["uid"] == before["Meeting 3 — CoP Water"]["uid"]
    assert (cancelled["status"], cancelled["sequence"]) == ("CANCELLED", 1)
    untouched = after["Meeting 4 — CoP Water"]
    assert (untouched["uid"], untouched["sequence"]) == (before["Meeting 4 — CoP Water"]["uid"], 0)
    assert len({event["uid"] for event in after.values()}) == 14


def test_the_feed_names_the_facilitators(cop: Cop) -> None:
    cop.command("enable facilitators")
    cop.advance(cop.clock.now().replace(year=2027, month=1, day=1) - cop.clock.now())
    description = str(feed(cop)["Meeting 1 — CoP Water"]["description"])
    assert description.startswith("Facilitated by ") and "(content)" in description and "(process)" in description


def test_a_wrong_token_or_community_is_not_found(cop: Cop) -> None:
    secret = cop.runtime.config.secret_key
    right = feed_path(secret, cop.community_id)
    assert cop.client.get(right.replace(right[-10:-4], "000000")).status_code == 404
    assert cop.client.get(feed_path(secret, cop.community_id + 1)).status_code == 404  # a valid token, no community
    assert cop.client.get(feed_path("another-secret-key-of-at-least-32-chars", cop.community_id)).status_code == 404
    assert cop.client.get(f"/calendar/{cop.community_id}/é{right[-36:-5]}.ics").status_code == 404
    assert cop.client.get(f"/calendar/{2**70}/{right[-36:-4]}.ics").status_code == 404


def test_the_meeting_list_says_where_to_subscribe(cop: Cop) -> None:
    cop.command("enable cop-lifecycle")
    listed = cop.command("meeting list", user="anna")["text"]
    assert f"In your own calendar (subscribe): {PUBLIC_URL}/calendar/{cop.community_id}/" in listed
    assert listed.rstrip().endswith(".ics")
