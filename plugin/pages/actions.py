"""What the organiser pages' buttons do, registered by name as Kring's chat buttons are: each runs the
same code as its command (`kring outbox retry`, `/cop publish`, `/cop meeting move`) and says what
happened in a sentence the page shows next."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from plugin.cop import calendar
from plugin.cop.calendar import CalendarRefused
from plugin.pages.public import public_path, set_published
from plugin.storage import undelivered
from plugin.storage.audit import audit
from plugin.storage.models import Community, Member, OutboxMessage
from plugin.texts import text
from plugin.workflows import meetings

MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Done:
    """The sentence to show, and the page to show it on."""

    notice: str
    page: str


#: An action: (session, community, the organiser, the form's fields, now) -> what to show where.
PageAction = Callable[[Session, Community, Member, Mapping[str, str], datetime], Done]
ACTIONS: dict[str, PageAction] = {}


def page_action(name: str) -> Callable[[PageAction], PageAction]:
    def register(function: PageAction) -> PageAction:
        ACTIONS[name] = function
        return function

    return register


def _actor(community: Community, member: Member) -> str:
    return f"{community.platform}:{member.username or member.platform_user_id}"


@page_action("retry")
def retry(session: Session, community: Community, member: Member, form: Mapping[str, str], now: datetime) -> Done:
    wanted = form.get("message", "")
    message = session.get(OutboxMessage, int(wanted)) if wanted.isdigit() and int(wanted) <= MAX_ID else None
    ours = message is not None and undelivered.community_of(session, message) == community.id
    queued = undelivered.retry(session, [int(wanted)], now) if ours else []
    return Done(text("pages.retried" if queued else "pages.not_retried", community.language, id=wanted[:20]),
                "digests")


@page_action("publish")
def publish(session: Session, community: Community, member: Member, form: Mapping[str, str], now: datetime) -> Done:
    on = form.get("on") == "1"
    set_published(community, on, now)
    audit(session, actor=_actor(community, member), action="publish" if on else "unpublish", now=now,
          community_id=community.id)
    return Done(text("pages.public.on" if on else "pages.public.off", community.language,
                     path=public_path(community.id)), "community")


@page_action("move")
def move(session: Session, community: Community, member: Member, form: Mapping[str, str], now: datetime) -> Done:
    try:
        meeting = calendar.meeting_number(session, community, form.get("meeting", ""))
        words = [form.get("date", ""), *([form["time"]] if form.get("time") else [])]
        starts = calendar.parse_moment(words, community, meeting.starts_at)
        meetings.move_meeting(session, community, meeting, starts, now)
    except CalendarRefused as refused:
        return Done(text(refused.key, community.language, **refused.values), "calendar")
    audit(session, actor=_actor(community, member), action="meeting.move", now=now, community_id=community.id,
          meeting=meeting.number, to=starts.isoformat())
    return Done(text("pages.moved", community.language, number=meeting.number, when=" ".join(words)), "calendar")
