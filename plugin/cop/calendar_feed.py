"""A community's meetings as an iCalendar feed that members subscribe to in their own calendar.

The feed sits behind a secret address (a token derived from KRING_SECRET_KEY, so nothing is stored
and a new key gives every community a new address). Each meeting keeps one UID for its whole life; a
move or a cancellation raises its SEQUENCE, so calendar apps replace the event instead of adding one.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from plugin.cop.facilitation import facilitators_view, pair_with_roles
from plugin.storage.models import Community, Meeting
from plugin.storage.states import MeetingStatus
from plugin.texts import text

#: How many hex digits of the HMAC make the secret part of the address (128 bits).
TOKEN_LENGTH = 32


def feed_token(secret_key: str, community_id: int) -> str:
    digest = hmac.new(secret_key.encode(), f"kring-calendar:{community_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:TOKEN_LENGTH]


def token_is_valid(secret_keys: tuple[str, ...], community_id: int, token: str) -> bool:
    """Whether ``token`` is the feed's, under the current key or a previous one still accepted."""
    given = token.encode("utf-8", "replace")
    return any(hmac.compare_digest(feed_token(key, community_id).encode(), given) for key in secret_keys)


def feed_path(secret_key: str, community_id: int) -> str:
    return f"/calendar/{community_id}/{feed_token(secret_key, community_id)}.ics"


def _description(session: Session, community: Community, meeting: Meeting) -> str:
    language = community.language
    pair = facilitators_view(session, community.id, meeting.number)
    lines = [text("feed.facilitators", language, names=pair_with_roles(pair, language))] if pair else []
    lines.append(text("feed.agenda", language, number=meeting.number))
    return "\n".join(lines)


def calendar_feed(session: Session, community: Community, now: datetime) -> bytes:
    """Every meeting of ``community`` (cancelled ones too, marked so), in its time zone."""
    zone = ZoneInfo(community.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//Kring//CoP calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", community.name)
    calendar.add("x-wr-timezone", community.timezone)
    meetings = session.scalars(sa.select(Meeting).where(Meeting.community_id == community.id)
                               .order_by(Meeting.number))
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@kring-community-{community.id}")
        event.add("sequence", meeting.revision)
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at.astimezone(zone))
        event.add("dtend", meeting.ends_at.astimezone(zone))
        event.add("summary", text("feed.summary", community.language, number=meeting.number, name=community.name))
        event.add("description", _description(session, community, meeting))
        cancelled = meeting.status == MeetingStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
