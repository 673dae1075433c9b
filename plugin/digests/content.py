"""What goes into a digest, gathered from the records — and what never does.

A digest is for one audience: a home organisation (by name), the ``field`` or the ``initiator``.
Members are named only when they consented (`/cop consent yes`); what they learned (their private
highlights) goes only to their own organisation and only with that consent. Anonymous poll results
appear only aggregated and only from :data:`MIN_ANONYMOUS_VOTES` votes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.cop.facilitation import KIND as FACILITATION
from plugin.engine.journal import EntryKind
from plugin.storage.models import (
    Answer,
    Assignment,
    Community,
    Digest,
    JournalEntry,
    Meeting,
    Member,
    Organisation,
    Poll,
    WorkflowRun,
)
from plugin.storage.states import MeetingStatus, PollStatus

MIN_ANONYMOUS_VOTES = 3
FIELD, INITIATOR = "field", "initiator"
#: Highlights per consenting member in an organisation's digest.
HIGHLIGHTS_PER_MEMBER = 3


@dataclass(frozen=True)
class PollSummary:
    question: str
    votes: int
    #: Option → count, or empty when the result is hidden (anonymous with too few votes).
    counts: dict[str, int]
    average: float | None
    hidden: bool
    #: The meeting the poll was about (its run's), when it was about one.
    meeting: int | None = None


@dataclass(frozen=True)
class Contribution:
    """What one consenting member of the audience's organisation did and learned."""

    name: str
    facilitated: int
    experiments: list[str]
    coalitions: list[str]
    highlights: list[str]


@dataclass(frozen=True)
class DigestContent:
    community: str
    language: str
    audience: str
    #: organisation, field or initiator
    audience_kind: str
    period_start: str | None
    period_end: str
    meetings_held: list[dict[str, Any]]
    meetings_planned: int
    domain: str | None
    domain_versions: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    #: Every meeting's evaluation up to the end of the period (a trend needs its past).
    evaluations: list[dict[str, Any]]
    #: Every check against the ambition (the domain statement) so far.
    ambitions: list[dict[str, Any]]
    #: Every poll closed in the period that is not shown otherwise (`in_digest`).
    polls: list[PollSummary]
    experiments: list[dict[str, Any]]
    backcasts: list[list[str]]
    coalitions: list[dict[str, Any]]
    #: All coalitions so far: the social map's edges.
    social_map: list[list[str]]
    organisations: list[str]
    #: Organisation → answers its members gave in the period (names of members are not needed).
    participation: dict[str, int]
    contributions: list[Contribution] = field(default_factory=list)
    #: Members of the audience's organisation who did not consent (only counted).
    not_consenting: int = 0
    #: Polls open when the period ended (a meeting's monitoring that closes after the digest): question,
    #: meeting number (or None), closing date. Their results come in the next digest.
    still_open: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DigestContent:
        values = dict(data)
        values["polls"] = [PollSummary(**p) for p in data["polls"]]
        values["contributions"] = [Contribution(**c) for c in data.get("contributions", [])]
        return cls(**values)


def period_start(session: Session, community: Community, audience: str, since: str) -> datetime | None:
    """``start``: the whole run; ``last``: since the previous digest for this audience."""
    if since == "start":
        return None
    found: datetime | None = session.scalar(sa.select(sa.func.max(Digest.created_at)).where(
        Digest.community_id == community.id, Digest.audience == audience))
    return found


def meeting_range(session: Session, community: Community, first: int, last: int,
                  now: datetime) -> tuple[datetime, datetime]:
    """The period of meetings ``first``..``last``: from the first one's start until the next meeting
    starts (so the last one's evaluation is in it), or a cadence after the last one; never past ``now``."""
    meetings = {m.number: m for m in session.scalars(sa.select(Meeting).where(Meeting.community_id == community.id))}
    if first > last or first not in meetings or last not in meetings:
        planned = f"meetings 1-{max(meetings)}" if meetings else "no meetings planned yet"
        raise ValueError(f"meetings {first}-{last}: this community has {planned}")
    following = meetings.get(last + 1)
    end = following.starts_at if following else meetings[last].ends_at + timedelta(
        weeks=community.meeting_cadence_weeks)
    return meetings[first].starts_at - timedelta(seconds=1), min(end, now)


def _in_period(column: Any, start: datetime | None, end: datetime) -> list[Any]:
    return [column <= end] + ([column > start] if start is not None else [])


def _trend(entries: list[JournalEntry]) -> list[dict[str, Any]]:
    """Per meeting: the average (None when too few voted to show it anonymously) and the votes."""
    return [{"meeting": e.meeting_number, "average": e.data.get("average"), "votes": e.data.get("votes")}
            for e in entries]


def _poll_summary(poll: Poll, meeting: int | None) -> PollSummary:
    results = poll.results or {}
    votes = int(results.get("votes", 0))
    hidden = poll.anonymous and votes < MIN_ANONYMOUS_VOTES
    return PollSummary(poll.question, votes, {} if hidden else dict(results.get("counts", {})),
                       None if hidden else results.get("average"), hidden, meeting)


def _meeting_number(inputs: dict[str, Any] | None) -> int | None:
    """The number of the meeting a run is about (its ``meeting`` input), if any."""
    meeting = (inputs or {}).get("meeting")
    return int(meeting["number"]) if isinstance(meeting, dict) and meeting.get("number") is not None else None


def _still_open(session: Session, community: Community, end: datetime) -> list[dict[str, Any]]:
    """Polls opened by ``end`` that close after it (one that is overdue is not waited for)."""
    rows = session.execute(sa.select(Poll.question, Poll.closes_at, WorkflowRun.inputs).outerjoin(
        WorkflowRun, WorkflowRun.id == Poll.run_id).where(
        Poll.community_id == community.id, Poll.opened_at <= end, Poll.closes_at > end,
        sa.or_(Poll.closed_at.is_(None), Poll.closed_at > end)).order_by(Poll.closes_at, Poll.id))
    zone = ZoneInfo(community.timezone)
    found = []
    for question, closes_at, inputs in rows:
        found.append({"question": question, "meeting": _meeting_number(inputs),
                      "closes": closes_at.astimezone(zone).date().isoformat()})
    return found


class _Records:
    """The community's records, read once per digest."""

    def __init__(self, session: Session, community: Community, start: datetime | None, end: datetime) -> None:
        self.session, self.community, self.start, self.end = session, community, start, end
        self.members = {m.id: m for m in session.scalars(sa.select(Member).where(
            Member.community_id == community.id))}
        self.organisations = {o.id: o.name for o in session.scalars(sa.select(Organisation).where(
            Organisation.community_id == community.id))}

    def name_if_consented(self, member_id: int | None) -> str | None:
        member = self.members.get(member_id) if member_id is not None else None
        return member.name if member is not None and member.consent else None

    def public(self, kind: EntryKind, whole_run: bool = False) -> list[JournalEntry]:
        conditions = [JournalEntry.created_at <= self.end] if whole_run else \
            _in_period(JournalEntry.created_at, self.start, self.end)
        return list(self.session.scalars(sa.select(JournalEntry).where(
            JournalEntry.community_id == self.community.id, JournalEntry.kind == kind,
            JournalEntry.private.is_(False), *conditions).order_by(JournalEntry.id)))


def _contributions(session: Session, records: _Records, organisation: str, experiments: list[JournalEntry],
                   coalitions: list[JournalEntry]) -> tuple[list[Contribution], int]:
    members = [m for m in records.members.values()
               if m.organisation_id is not None and records.organisations.get(m.organisation_id) == organisation]
    consenting = sorted((m for m in members if m.consent), key=lambda m: m.name)
    served = Counter(int(member) for roles in session.scalars(sa.select(Assignment.roles).where(
        Assignment.community_id == records.community.id, Assignment.kind == FACILITATION,
        *_in_period(Assignment.created_at, records.start, records.end))) for member in roles.values())
    highlights: dict[int, list[str]] = {}
    for entry in session.scalars(sa.select(JournalEntry).where(
            JournalEntry.community_id == records.community.id, JournalEntry.kind == EntryKind.HIGHLIGHT,
            JournalEntry.member_id.in_([m.id for m in consenting]),
            *_in_period(JournalEntry.created_at, records.start, records.end)).order_by(JournalEntry.id)):
        assert entry.member_id is not None
        highlights.setdefault(entry.member_id, []).append(entry.text)
    found = [Contribution(
        member.name, served[member.id], [e.text for e in experiments if e.member_id == member.id],
        [e.text for e in coalitions if e.member_id == member.id],
        highlights.get(member.id, [])[-HIGHLIGHTS_PER_MEMBER:]) for member in consenting]
    return found, len(members) - len(consenting)


def build(session: Session, community: Community, audience: str, start: datetime | None,
          end: datetime) -> DigestContent:
    """Gather the digest for ``audience`` over (start, end]; nothing is written."""
    records = _Records(session, community, start, end)
    meetings = list(session.scalars(sa.select(Meeting).where(Meeting.community_id == community.id)
                                    .order_by(Meeting.number)))
    held = [m for m in meetings if m.status == MeetingStatus.PLANNED and m.ends_at <= end
            and (start is None or m.ends_at > start)]
    polls = session.execute(sa.select(Poll, WorkflowRun.inputs).outerjoin(
        WorkflowRun, WorkflowRun.id == Poll.run_id).where(
        Poll.community_id == community.id, Poll.status == PollStatus.CLOSED, Poll.in_digest.is_(True),
        *_in_period(Poll.closed_at, start, end)).order_by(Poll.closed_at, Poll.id))
    answers = Counter(records.members[member_id].organisation_id for member_id in session.scalars(
        sa.select(Answer.member_id).where(Answer.member_id.in_(records.members),
                                          *_in_period(Answer.answered_at, start, end))))
    coalitions_so_far = records.public(EntryKind.COALITION, whole_run=True)
    experiments, coalitions = records.public(EntryKind.EXPERIMENT), records.public(EntryKind.COALITION)
    kind = audience if audience in (FIELD, INITIATOR) else "organisation"
    contributions, not_consenting = (_contributions(session, records, audience, experiments, coalitions)
                                     if kind == "organisation" else ([], 0))
    return DigestContent(
        community=community.name, language=community.language, audience=audience, audience_kind=kind,
        period_start=start.isoformat() if start else None, period_end=end.isoformat(),
        meetings_held=[{"number": m.number, "date": m.starts_at.date().isoformat()} for m in held],
        meetings_planned=sum(m.status == MeetingStatus.PLANNED for m in meetings),
        domain=community.domain_statement,
        domain_versions=[{"version": e.number, "date": e.created_at.date().isoformat(), "text": e.text}
                         for e in records.public(EntryKind.DOMAIN)],
        decisions=[{"number": e.number, "text": e.text, "adopted": bool(e.data.get("adopted")),
                    "agree": e.data.get("agree"), "disagree": e.data.get("disagree")}
                   for e in records.public(EntryKind.DECISION)],
        evaluations=_trend(records.public(EntryKind.EVALUATION, whole_run=True)),
        ambitions=_trend(records.public(EntryKind.AMBITION, whole_run=True)),
        polls=[_poll_summary(poll, _meeting_number(inputs)) for poll, inputs in polls],
        experiments=[{"text": e.text, "by": records.name_if_consented(e.member_id)} for e in experiments],
        backcasts=[list(e.data.get("steps", [])) for e in records.public(EntryKind.BACKCAST)],
        coalitions=[{"organisations": list(e.data.get("organisations", [])), "what": e.data.get("what", e.text)}
                    for e in coalitions],
        social_map=[list(e.data.get("organisations", [])) for e in coalitions_so_far],
        organisations=sorted(records.organisations.values()),
        participation={name: answers.get(organisation_id, 0)
                       for organisation_id, name in sorted(records.organisations.items(), key=lambda i: i[1])},
        contributions=contributions, not_consenting=not_consenting, still_open=_still_open(session, community, end),
    )


def community_now(session: Session, community: Community, now: datetime) -> datetime:
    """``now``, or the community's latest record when that is later: a simulated community (`kring simulate
    --home`) lives on a virtual clock ahead of the real one, and its digest covers what it recorded."""
    latest = session.scalar(sa.select(sa.func.max(JournalEntry.created_at)).where(
        JournalEntry.community_id == community.id))
    if latest is None:
        return now
    latest = latest if latest.tzinfo is not None else latest.replace(tzinfo=UTC)
    return max(now, latest)


def gather(session: Session, community: Community, audience: str, since: str, now: datetime,
           meetings: tuple[int, int] | None = None) -> DigestContent:
    """The digest for ``audience``: since the last one (``since='last'``), from the start (``'start'``), or
    over a range of meetings (ValueError when the community has no such meetings)."""
    start, end = meeting_range(session, community, *meetings, now) if meetings else (
        period_start(session, community, audience, since), now)
    return build(session, community, audience, start, end)
