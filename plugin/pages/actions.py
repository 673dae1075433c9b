"""What the organiser pages' buttons do, registered by name as Kring's chat buttons are: each runs the
same code as its command (`kring outbox retry`, `/cop publish`, `/cop meeting move`) and says what
happened in a sentence the page shows next."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from plugin.config import Config
from plugin.cop import calendar
from plugin.cop.calendar import CalendarRefused
from plugin.localized import duration
from plugin.pages.public import public_path, set_published
from plugin.storage import undelivered
from plugin.storage.audit import audit
from plugin.storage.models import Community, Member, OutboxMessage
from plugin.storage.numbers import typed_number
from plugin.texts import text
from plugin.workflows import enablement, meetings
from plugin.workflows import planned as planned_actions
from plugin.workflows.catalog import current_catalog
from plugin.workflows.planned import CONFIRM_WITHIN, Refused


@dataclass(frozen=True)
class Done:
    """The sentence to show, and the page to show it on."""

    notice: str
    page: str


@dataclass(frozen=True)
class Acting:
    """Who acts where, and how this Kring is configured (the workflows it has)."""

    session: Session
    community: Community
    member: Member
    now: datetime
    config: Config


#: An action: (who acts where, the form's fields) -> what to show where.
PageAction = Callable[[Acting, Mapping[str, str]], Done]
ACTIONS: dict[str, PageAction] = {}


def page_action(name: str) -> Callable[[PageAction], PageAction]:
    def register(function: PageAction) -> PageAction:
        ACTIONS[name] = function
        return function

    return register


def _actor(community: Community, member: Member) -> str:
    return f"{community.platform}:{member.username or member.platform_user_id}"


@page_action("retry")
def retry(acting: Acting, form: Mapping[str, str]) -> Done:
    session, community, now = acting.session, acting.community, acting.now
    wanted = form.get("message", "")
    number = typed_number(wanted)
    message = session.get(OutboxMessage, number) if number is not None else None
    ours = message is not None and undelivered.community_of(session, message) == community.id
    queued = undelivered.retry(session, [message.id], now) if ours and message is not None else []
    return Done(text("pages.retried" if queued else "pages.not_retried", community.language, id=wanted[:20]),
                "digests")


@page_action("publish")
def publish(acting: Acting, form: Mapping[str, str]) -> Done:
    session, community, member, now = acting.session, acting.community, acting.member, acting.now
    on = form.get("on") == "1"
    set_published(session, community, on, actor=_actor(community, member), now=now)
    return Done(text("pages.public.on" if on else "pages.public.off", community.language,
                     path=public_path(community.id)), "community")


@page_action("move")
def move(acting: Acting, form: Mapping[str, str]) -> Done:
    session, community, member, now = acting.session, acting.community, acting.member, acting.now
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


#: What an organiser may ask for from a page, and the page that shows it: each waits for a confirmation.
ASKABLE = {"disable": "workflows", "meeting.cancel": "calendar", "cancel": "workflows"}


@page_action("ask")
def ask(acting: Acting, form: Mapping[str, str]) -> Done:
    """Ask for a destructive action (:mod:`plugin.workflows.planned`); nothing changes yet."""
    kind, community, language = form.get("kind", ""), acting.community, acting.community.language
    if kind not in ASKABLE:
        return Done(text("pages.none", language), "community")
    try:
        planned = planned_actions.ask(acting.session, community, kind, form.get("target", "")[:128],
                                      user_id=acting.member.platform_user_id, actor=_actor(community, acting.member),
                                      now=acting.now)
    except Refused as refused:
        return Done(text(refused.key, language, **refused.values), ASKABLE[kind])
    return Done(text("pages.planned.ask", language, what=planned_actions.describe(planned, language),
                     within=duration(CONFIRM_WITHIN, language)), ASKABLE[kind])


def _answer(acting: Acting, form: Mapping[str, str], confirming: bool) -> Done:
    return Done(planned_actions.answer(acting.session, acting.community, form.get("planned", ""),
                                       acting.member.platform_user_id, acting.now, confirming=confirming),
                ASKABLE.get(str(form.get("kind")), "workflows"))


@page_action("confirm")
def confirm(acting: Acting, form: Mapping[str, str]) -> Done:
    return _answer(acting, form, confirming=True)


@page_action("undo")
def undo(acting: Acting, form: Mapping[str, str]) -> Done:
    return _answer(acting, form, confirming=False)


@page_action("enable")
def enable(acting: Acting, form: Mapping[str, str]) -> Done:
    """Enable a workflow with its settings, as `/cop enable <workflow> name=value …`."""
    community, language = acting.community, acting.community.language
    workflow = current_catalog(acting.config).workflows.get(form.get("workflow", "").strip())
    if workflow is None:
        return Done(text("workflow.unknown", language, id=form.get("workflow", "")[:100], suggestion=""), "workflows")
    try:
        settings = enablement.settings_from(form.get("settings", ""))
        enabled = enablement.enable(acting.session, community, workflow, settings, acting.member.platform_user_id,
                                    acting.now)
    except enablement.BadSettings as bad:
        return Done(text(bad.key, language, **bad.values), "workflows")
    except enablement.InvalidParams as invalid:
        return Done(text("enable.invalid", language, id=workflow.id, problems="; ".join(invalid.problems)),
                    "workflows")
    audit(acting.session, actor=_actor(community, acting.member), action="enable", now=acting.now,
          community_id=community.id, workflow=workflow.id, version=workflow.version, params=enabled.params)
    return Done(text("enable.done", language, title=workflow.title.get(language), version=workflow.version,
                     params=""), "workflows")
