"""What each organiser page shows, as blocks of lines, tables and charts in the community's language.

The results page is the initiator's digest as it stands (:mod:`plugin.digests`): the same consent and
anonymity rules, the same charts. Private notes are read by no page.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.cop import calendar
from plugin.cop.calendar_feed import feed_path
from plugin.cop.composition import composition, composition_report
from plugin.cop.facilitation import facilitators_view, pair_with_roles
from plugin.cop.journal import entries
from plugin.digests.charts import all_charts
from plugin.digests.content import FIELD, INITIATOR, DigestContent, build, community_now
from plugin.digests.render import sections
from plugin.engine.journal import EntryKind
from plugin.pages.public import public_path
from plugin.storage.communities import current_member_of
from plugin.storage.models import (
    Community,
    Digest,
    DigestDelivery,
    Meeting,
    Member,
    Organisation,
    OutboxMessage,
    PlannedAction,
    WorkflowEnablement,
)
from plugin.storage.states import MeetingStatus, OutboxStatus, PlannedStatus
from plugin.storage.undelivered import undelivered
from plugin.texts import label, text
from plugin.workflows import planned as planned_actions
from plugin.workflows.enablement import settings_shown
from plugin.workflows.runs import recent_runs

SHOWN_RUNS = 20


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]


@dataclass(frozen=True)
class Action:
    """A button that posts ``fields`` (and the session's CSRF token) to the page's ``action``."""

    described: str
    action: str
    fields: dict[str, str]
    button: str
    #: What a screen reader says for the button, where its text alone is ambiguous ("Send again 12").
    aria: str = ""
    #: Fields the organiser fills in: (name, label, input type, value).
    inputs: tuple[tuple[str, str, str, str], ...] = ()


@dataclass
class Block:
    """One part of a page: a title, then lines, a table, a chart (a data URI) and buttons."""

    title: str
    lines: list[str] = field(default_factory=list)
    table: Table | None = None
    image: str | None = None
    actions: list[Action] = field(default_factory=list)
    #: (label, address) of downloads and feeds.
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Reading:
    """What a page is built from: the request's session, the community, the time, and the secret key
    (for the calendar feed's address)."""

    session: Session
    community: Community
    now: datetime
    secret_key: str
    #: The organiser reading it (their own actions waiting for a confirmation are shown to them).
    user_id: str = ""


def _local(community: Community, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(community.timezone)).strftime("%Y-%m-%d %H:%M")


def _headers(language: str, *columns: str) -> tuple[str, ...]:
    return tuple(text(f"pages.column.{column}", language) for column in columns)


def _yes_no(value: bool, language: str) -> str:
    return text("value.yes" if value else "value.no", language)


def waiting(reading: Reading, kinds: tuple[str, ...]) -> list[Block]:
    """The reader's own destructive actions of ``kinds`` that wait for their confirmation or are in their
    undo window, each with its button; none when there are none."""
    language, now = reading.community.language, reading.now
    block = Block(text("pages.waiting", language))
    for planned in reading.session.scalars(sa.select(PlannedAction).where(
            PlannedAction.community_id == reading.community.id, PlannedAction.user_id == reading.user_id,
            PlannedAction.kind.in_(kinds), PlannedAction.status.in_((PlannedStatus.ASKED, PlannedStatus.CONFIRMED)))
            .order_by(PlannedAction.id)):
        what = planned_actions.describe(planned, language)
        fields = {"planned": str(planned.id), "kind": planned.kind}
        if planned.status == PlannedStatus.ASKED and not planned_actions.lapsed(planned, now):
            block.actions.append(Action(what, "confirm", fields, text("planned.button.confirm", language),
                                        aria=f"{text('planned.button.confirm', language)} {planned.id}"))
        elif planned.status == PlannedStatus.CONFIRMED and planned.due_at and now < planned.due_at:
            block.actions.append(Action(planned_actions.confirmed(reading.community, planned), "undo", fields,
                                        text("planned.button.undo", language),
                                        aria=f"{text('planned.button.undo', language)} {planned.id}"))
    return [block] if block.actions else []


def community_page(reading: Reading) -> list[Block]:
    session, community = reading.session, reading.community
    language = community.language
    facts = " ".join((text("pages.facts", language, language=community.language, timezone=community.timezone,
                           cadence=community.meeting_cadence_weeks, months=community.run_length_months),
                      text(f"composition.{community.openness.value}", language)))
    organisations = {row.id: row.name for row in session.execute(sa.select(Organisation.id, Organisation.name)
                                                                  .where(Organisation.community_id == community.id))}
    members = session.scalars(sa.select(Member).where(current_member_of(community.id)).order_by(Member.name))
    rows = [(m.name, organisations.get(m.organisation_id or 0, "-"), label("memberrole", m.role.value, language),
             m.joined_at.date().isoformat(), _yes_no(m.consent, language)) for m in members]
    headers = _headers(language, "name", "organisation", "role", "since", "consent")
    publishing = Block(text("pages.public", language), [text(
        "pages.public.on" if community.published_at else "pages.public.off", language,
        path=public_path(community.id))])
    publishing.actions.append(Action("", "publish", {"on": "" if community.published_at else "1"}, text(
        "pages.public.take_down" if community.published_at else "pages.public.publish", language)))
    record = Block(text("pages.export", language), [text("pages.export.what", language)],
                   links=[(text("pages.export.download", language), f"/pages/{community.id}/export.json")])
    return [Block(community.name, [facts, community.domain_statement or text("digest.domain.none", language)]),
            publishing, record,
            Block(text("pages.members", language), table=Table(headers, rows)),
            Block(text("pages.composition", language),
                  composition_report(composition(session, community), language).splitlines())]


def calendar_page(reading: Reading) -> list[Block]:
    session, community, now = reading.session, reading.community, reading.now
    language = community.language
    rows, ahead = [], []
    for meeting in session.scalars(sa.select(Meeting).where(Meeting.community_id == community.id)
                                   .order_by(Meeting.number)):
        if meeting.status == MeetingStatus.PLANNED and meeting.starts_at > now:
            ahead.append(meeting)
        state = calendar.meeting_state(meeting, now)
        status = text("pages.planned" if state == "planned" else f"meeting.status.{state}", language)
        pair = facilitators_view(session, community.id, meeting.number)
        rows.append((str(meeting.number), _local(community, meeting.starts_at), status,
                     pair_with_roles(pair, language) or "-"))
    headers = _headers(language, "meeting", "when", "status", "facilitators")
    feed = (text("pages.feed", language), feed_path(reading.secret_key, community.id))
    moves = Block(text("pages.move", language), [text("pages.move.what", language)])
    zone = ZoneInfo(community.timezone)
    for meeting in ahead:
        local = meeting.starts_at.astimezone(zone)
        moves.actions.append(Action(
            text("pages.move.meeting", language, number=meeting.number), "move", {"meeting": str(meeting.number)},
            text("pages.move.button", language), aria=text("pages.move.meeting", language, number=meeting.number),
            inputs=(("date", text("pages.move.date", language), "date", f"{local:%Y-%m-%d}"),
                    ("time", text("pages.move.time", language), "time", f"{local:%H:%M}"))))
        cancel = text("pages.cancel.meeting", language)
        moves.actions.append(Action("", "ask", {"kind": "meeting.cancel", "target": str(meeting.number)}, cancel,
                                    aria=f"{cancel} {meeting.number}"))
    return [*waiting(reading, ("meeting.cancel",)),
            Block(text("pages.title.calendar", language), table=Table(headers, rows), links=[feed]),
            *([moves] if ahead else [])]


def digest_blocks(content: DigestContent) -> list[Block]:
    """A digest's sections as page blocks, each chart inline."""
    charts = all_charts(content)
    return [Block(section.title, section.lines, image=(
        f"data:image/png;base64,{base64.b64encode(charts[section.image]).decode()}"
        if section.image in charts else None)) for section in sections(content, charts)]


def results_page(reading: Reading) -> list[Block]:
    """Monitoring and the journal: the initiator's digest as it stands, and the urgency signals."""
    session, community, now = reading.session, reading.community, reading.now
    signals = [f"{e.created_at.date().isoformat()}: {e.text}" + (f" ({e.link})" if e.link else "")
               for e in entries(session, community.id, EntryKind.SIGNAL)]
    return [*digest_blocks(build(session, community, INITIATOR, None, community_now(session, community, now))),
            Block(text("pages.signals", community.language), signals or [text("pages.none", community.language)])]


def _audience(audience: str, language: str) -> str:
    return text(f"digest.audience.{audience}", language) if audience in (FIELD, INITIATOR) else audience


def digests_page(reading: Reading) -> list[Block]:
    session, community = reading.session, reading.community
    language = community.language
    deliveries: dict[int, list[str]] = {}
    for delivery, status in session.execute(
            sa.select(DigestDelivery, OutboxMessage.status).join(OutboxMessage,
                                                                 OutboxMessage.id == DigestDelivery.outbox_message_id)
            .join(Digest).where(Digest.community_id == community.id).order_by(DigestDelivery.id)):
        state = label("outbox", status.value, language)
        deliveries.setdefault(delivery.digest_id, []).append(
            f"{label('channel', delivery.channel, language)} {delivery.target}: {state}")
    archive = list(session.scalars(sa.select(Digest).where(Digest.community_id == community.id)
                                   .order_by(Digest.id.desc())))
    rows = [(str(d.id), _audience(d.audience, language), _local(community, d.created_at),
             "; ".join(deliveries.get(d.id, [])) or "-") for d in archive]
    previews = [(text("pages.preview", language, number=d.id, audience=_audience(d.audience, language)),
                 f"/pages/{community.id}/digest/{d.id}") for d in archive]
    headers = _headers(language, "digest", "audience", "made", "deliveries")
    waiting = undelivered(session, community.id)
    problems = Block(text("pages.undelivered", language),
                     [] if waiting else [text("pages.all_delivered", language)])
    for item in waiting:
        described = text("status.undelivered.item", language, id=item.message_id, operation=item.operation,
                         target=item.target, state=label("outbox", item.state, language), count=item.attempts,
                         error=item.error).removeprefix("- ")
        if item.state == OutboxStatus.FAILED.value:
            button = text("pages.retry", language)
            problems.actions.append(Action(described, "retry", {"message": str(item.message_id)}, button,
                                           aria=f"{button} {item.message_id}"))
        else:
            problems.lines.append(described)
    return [Block(text("pages.title.digests", language), table=Table(headers, rows)), problems,
            Block(text("pages.previews", language), links=previews)]


def workflows_page(reading: Reading) -> list[Block]:
    session, community = reading.session, reading.community
    language = community.language
    enablements = list(session.scalars(sa.select(WorkflowEnablement).where(
        WorkflowEnablement.community_id == community.id).order_by(WorkflowEnablement.workflow_id)))
    enabled = [(e.workflow_id, e.workflow_version, _yes_no(e.enabled, language),
                settings_shown(e.params, language) or "-", str(len(e.admins or []))) for e in enablements]
    runs = [(str(run.id), workflow_id, label("run.status", run.status.value, language),
             _local(community, run.started_at), run.trigger, (run.error or "")[:300])
            for run, workflow_id in recent_runs(session, community.id, SHOWN_RUNS)]
    change = Block(text("pages.change", language), [text("pages.change.what", language)])
    change.actions.append(Action("", "enable", {}, text("pages.enable", language), inputs=(
        ("workflow", text("pages.column.workflow", language), "text", ""),
        ("settings", text("pages.column.settings", language), "text", ""))))
    disable = text("pages.disable", language)
    change.actions += [Action(e.workflow_id, "ask", {"kind": "disable", "target": e.workflow_id}, disable,
                              aria=f"{disable} {e.workflow_id}") for e in enablements if e.enabled]
    return [*waiting(reading, ("disable", "cancel")),
            Block(text("pages.title.workflows", language), table=Table(
                _headers(language, "workflow", "version", "enabled", "settings", "admins"), enabled)),
            Block(text("pages.runs", language), table=Table(
                _headers(language, "run", "workflow", "status", "started", "trigger", "error"), runs)), change]


#: Page name → what it shows, in the order of the navigation.
PAGES: dict[str, Callable[[Reading], list[Block]]] = {
    "community": community_page, "calendar": calendar_page, "results": results_page, "digests": digests_page,
    "workflows": workflows_page,
}
